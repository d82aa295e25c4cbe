"""Flows across models: expert corrections reviewed by curators, and links to trial products."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from platform_site.notifications import notify_user

from .models import CorrectionStatus, Facility, FacilityCorrection, ManufacturingSiteLink


class CorrectionAlreadyDecided(Exception):
    pass


def correction_propose(*, facility: Facility, proposed_by, changes: dict[str, str], reason: str) -> FacilityCorrection:
    previous = {name: field_text(facility, name) for name in changes}
    return FacilityCorrection.objects.create(
        facility=facility, proposed_by=proposed_by, changes=changes, previous=previous, reason=reason
    )


def field_text(facility: Facility, name: str) -> str:
    value = facility.serializable_value(name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _apply(facility: Facility, changes: dict[str, str]) -> None:
    """Write text values onto the facility through each field's own parsing; raises ValidationError."""
    errors = {}
    for name, text in changes.items():
        try:
            field = Facility._meta.get_field(name)
        except Exception:  # noqa: BLE001 - an unknown field name in stored JSON is a data error, not a crash
            errors[name] = "not a facility field"
            continue
        if text == "" and field.null:
            value = None
        elif field.get_internal_type() == "BooleanField":
            value = text.strip().lower() in ("true", "1", "yes")
        else:
            value = field.to_python(text)
        setattr(facility, name, value)
    if errors:
        raise ValidationError(errors)
    facility.full_clean()


@transaction.atomic
def correction_accept(*, correction: FacilityCorrection, reviewer, comment: str = "") -> FacilityCorrection:
    """Apply the proposed change to the facility (recorded in its history) and tell the proposer."""
    correction = FacilityCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.status != CorrectionStatus.PENDING:
        raise CorrectionAlreadyDecided(correction.get_status_display())
    facility = Facility.objects.select_for_update().get(pk=correction.facility_id)
    _apply(facility, correction.changes)
    facility._change_reason = f"Correction #{correction.pk} accepted"
    facility._history_user = reviewer
    facility.save()
    return _decide(correction, CorrectionStatus.ACCEPTED, reviewer, comment)


@transaction.atomic
def correction_reject(*, correction: FacilityCorrection, reviewer, comment: str = "") -> FacilityCorrection:
    correction = FacilityCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.status != CorrectionStatus.PENDING:
        raise CorrectionAlreadyDecided(correction.get_status_display())
    return _decide(correction, CorrectionStatus.REJECTED, reviewer, comment)


def _decide(correction: FacilityCorrection, status: str, reviewer, comment: str) -> FacilityCorrection:
    correction.status = status
    correction.reviewed_by = reviewer
    correction.reviewed_at = timezone.now()
    correction.review_comment = comment
    correction.save()
    if correction.proposed_by and correction.proposed_by.email:
        notify_user(
            correction.proposed_by,
            subject=f"Your correction to {correction.facility.name} was {correction.get_status_display().lower()}",
            template="facilities/email/correction_decided.txt",
            context={"correction": correction, "facility": correction.facility},
        )
    return correction


# --- Trials: "Lead manufacturing" text -> facility --------------------------------------
@dataclass(frozen=True)
class SiteSuggestion:
    product_id: int
    product_name: str
    source_text: str
    facility: Facility
    score: float


_NOISE = re.compile(r"[^a-z0-9 ]+")


def _normalise(text: str) -> str:
    return " ".join(_NOISE.sub(" ", (text or "").lower()).split())


def _similarity(source: str, facility: Facility) -> float:
    """Best of: the facility's name, its institution, and both together (token-sorted ratios)."""
    source_tokens = " ".join(sorted(_normalise(source).split()))
    best = 0.0
    for candidate in (facility.institution, facility.name, f"{facility.name} {facility.institution}"):
        tokens = " ".join(sorted(_normalise(candidate).split()))
        if not tokens:
            continue
        ratio = difflib.SequenceMatcher(None, source_tokens, tokens).ratio()
        # A facility's full institution named inside the text is a strong hint on its own.
        if _normalise(facility.institution) and _normalise(facility.institution) in _normalise(source):
            ratio = max(ratio, 0.9)
        best = max(best, ratio)
    return best


def sitelink_suggestions(*, limit: int = 100) -> list[SiteSuggestion]:
    """Unconfirmed matches of trials' lead-manufacturing texts against facilities, best first."""
    from trials.models import Trial

    facilities = list(Facility.objects.all())
    linked = set(ManufacturingSiteLink.objects.values_list("product_id", "facility_id"))
    seen: set[tuple[int, int]] = set()
    suggestions: list[SiteSuggestion] = []
    rows = (
        Trial.objects.exclude(lead_manufacturing="")
        .values_list("product_id", "product__name", "lead_manufacturing")
        .distinct()
    )
    threshold = settings.FACILITIES_MATCH_THRESHOLD
    for product_id, product_name, text in rows:
        for facility in facilities:
            key = (product_id, facility.pk)
            if key in linked or key in seen:
                continue
            score = _similarity(text, facility)
            if score >= threshold:
                seen.add(key)
                suggestions.append(SiteSuggestion(product_id, product_name, text, facility, round(score, 2)))
    suggestions.sort(key=lambda s: -s.score)
    return suggestions[:limit]


def sitelink_confirm(*, product_id: int, facility: Facility, source_text: str, confirmed_by) -> ManufacturingSiteLink:
    link, _ = ManufacturingSiteLink.objects.get_or_create(
        product_id=product_id,
        facility=facility,
        defaults={"source_text": source_text[:500], "confirmed_by": confirmed_by},
    )
    return link
