"""The one write path for ATMP products and their trials.

Every entry point (the contribution form, the API, the cover-sheet import, the
admin, the public-register refresh) saves through these functions, so a record
means the same whichever way it came in:

* ``product_save`` / ``trial_save`` / ``trial_delete`` write content, normalise
  the vocabularies, keep the lookup rows, identifiers and highest phase in step,
  and write one history row naming the user, the reason and the source;
* ``product_submit`` / ``product_approve`` / ``product_reject`` move a product
  through the review (platform_site.curation: four eyes, decision with reason,
  the contributor's e-mail).

``source`` names the entry point on the history row: one of ``SOURCES`` below
(the register refresh passes ``"register"``). ``user`` may be None for the system
(management commands, scheduled refreshes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.text import slugify

from platform_site.curation import CurationFlow, Notification, ReviewError, tag_history

from . import identifiers, vocabulary
from .models import (
    COVER_SHEET_FIELDS,
    TRIAL_SHEET_FIELDS,
    WP1_FIELDS,
    Phase,
    Product,
    Trial,
    TrialIdentifier,
)

SOURCES = ("web", "api", "sheet", "admin", "register", "demo", "review", "system")

# (controlled value, its "original text" twin, normaliser from text to value)
PRODUCT_CHOICES: list[tuple[str, str, Callable[[str], str]]] = [
    ("atmp_type", "atmp_type_text", vocabulary.normalise_atmp_type),
    ("cell_source", "cell_source_text", vocabulary.normalise_cell_source),
    ("patient_classification", "patient_classification_text", vocabulary.normalise_patient_classification),
    ("gene_transfer_mode", "gene_transfer_mode_text", vocabulary.normalise_gene_transfer),
    ("sheet_review_status", "sheet_review_status_text", vocabulary.normalise_sheet_review_status),
]
TRIAL_CHOICES: list[tuple[str, str, Callable[[str], str]]] = [
    ("phase", "phase_text", vocabulary.normalise_phase),
    ("sponsor_type", "sponsor_type_text", vocabulary.normalise_sponsor_type),
    ("centre_type", "centre_type_text", vocabulary.normalise_centre_type),
]
TRIAL_YES_NO = [("mechanism_known", "mechanism_known_text"), ("first_in_human", "first_in_human_text")]
YES_NO_TEXT = {True: "Yes", False: "No"}

# Text cell -> (many-to-many field, lookup rows for the text)
PRODUCT_LOOKUPS: dict[str, tuple[str, Callable[[str], list]]] = {
    "country_of_origin_text": ("origin_locations", lambda text: vocabulary.locations_for(text)[0]),
    "disease_text": ("diseases", vocabulary.diseases_for),
    "target_text": ("targets", vocabulary.targets_for),
    "patient_cohort_text": ("patient_cohorts", vocabulary.cohorts_for),
}

# What ``data`` may hold. Content: the sheet's cells and their controlled values.
PRODUCT_CONTENT_FIELDS = [
    *COVER_SHEET_FIELDS,
    "cover_trial_status_text",
    *WP1_FIELDS,
    "sheet_review_status_text",
    "sheet_reviewer",
    *(value for value, _text, _norm in PRODUCT_CHOICES),
]
# Record keeping the admin, the import and the demo loader also set.
PRODUCT_RECORD_FIELDS = ["slug", "owner", "curation_status", "review_comment", "source_file", "sheet_name", "is_demo"]
TRIAL_CONTENT_FIELDS = [
    *TRIAL_SHEET_FIELDS,
    *(value for value, _text, _norm in TRIAL_CHOICES),
    "status",
    "status_as_of",
    "mechanism_known",
    "first_in_human",
    "start_year",
]
TRIAL_RECORD_FIELDS = ["column_index"]
_TEXT_FIELD_TYPES = ("CharField", "TextField", "SlugField")


class UnknownField(TypeError):
    """``data`` named a field the service does not write (a programming error, not bad input)."""


def _check_keys(data: Mapping, allowed: list[str], model) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise UnknownField(f"{model.__name__} data cannot set {', '.join(unknown)}.")


def _clean(model, name: str, value):
    """Text as stored: trimmed, never None; other values as given."""
    if model._meta.get_field(name).get_internal_type() in _TEXT_FIELD_TYPES:
        return "" if value is None else str(value).strip()
    return value


def _apply(obj, data: Mapping) -> set[str]:
    """Set the given fields; returns the names whose value changed."""
    changed = set()
    for name, value in data.items():
        value = _clean(type(obj), name, value)
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.add(name)
    return changed


def _label(model, name: str, value) -> str:
    return str(dict(model._meta.get_field(name).flatchoices).get(value, "")) if value else ""


def _derive_choices(obj, data: Mapping, choices, changed: set[str]) -> None:
    """Text given alone -> the controlled value; value given alone -> the text says its label."""
    for value_field, text_field, normalise in choices:
        if text_field in data and value_field not in data:
            if _set(obj, value_field, normalise(getattr(obj, text_field))):
                changed.add(value_field)
        elif value_field in data and text_field not in data:
            if value_field in changed or not getattr(obj, text_field):
                if _set(obj, text_field, _label(type(obj), value_field, getattr(obj, value_field))):
                    changed.add(text_field)


def _set(obj, name: str, value) -> bool:
    if getattr(obj, name) == value:
        return False
    setattr(obj, name, value)
    return True


def _unique_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:230] or "product"
    slug, n = base, 2
    while Product.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Products ----------------------------------------------------------------------------
@transaction.atomic
def product_save(*, product: Product | None, data: Mapping, user, reason: str, source: str) -> Product:
    """Create (``product=None``) or change a product; returns it saved.

    ``data`` maps field names to values and may be partial: only the fields it
    names change. It holds the cover-sheet, WP 1 and review cells as written
    (``PRODUCT_CONTENT_FIELDS``: ``name``, ``atmp_type_text``, ``disease_text``, ...),
    optionally the controlled values (``atmp_type``, ``cell_source``, ...), and for
    the admin, the import and the demo loader the record keeping in
    ``PRODUCT_RECORD_FIELDS``. Any other key raises UnknownField.

    Normalised here: text is trimmed; a vocabulary given as text alone gets its
    controlled value (``"GTMP - ex vivo modified"`` -> ``gtmp_ex_vivo``), a value
    given alone gets its label as text; origin countries, diseases, targets and
    cohorts get their lookup rows from the text; a new product gets a unique slug
    and ``user`` as owner. (The highest phase follows the trials: trial_save.)

    Writes one history row (when anything changed) with ``user``, ``reason`` and
    ``source``. Publication is not decided here: see product_submit/product_approve.
    """
    _check_keys(data, PRODUCT_CONTENT_FIELDS + PRODUCT_RECORD_FIELDS, Product)
    creating = product is None or product.pk is None
    product = product if product is not None else Product()
    changed = _apply(product, data)
    _derive_choices(product, data, PRODUCT_CHOICES, changed)
    if creating and not product.owner_id and user is not None and "owner" not in data:
        product.owner = user
    if creating or "name" in changed:
        if "slug" not in data and (creating or not product.slug):
            product.slug = _unique_slug(product.name)
    if creating or changed:
        tag_history(product, user=user, reason=reason or ("Created" if creating else "Edited"), source=source)
        product.save()
    for text_field, (relation, rows_for) in PRODUCT_LOOKUPS.items():
        if creating or text_field in changed:
            getattr(product, relation).set(rows_for(getattr(product, text_field)))
    return product


# --- Trials ------------------------------------------------------------------------------
def _derive_trial(trial: Trial, data: Mapping, changed: set[str]) -> None:
    _derive_choices(trial, data, TRIAL_CHOICES, changed)
    if "status_text" in data and "status" not in data:
        status, as_of = vocabulary.parse_status(trial.status_text)
        if _set(trial, "status", status):
            changed.add("status")
        if "status_as_of" not in data and _set(trial, "status_as_of", as_of):
            changed.add("status_as_of")
    elif "status" in data and "status_text" not in data:
        if {"status", "status_as_of"} & changed or not trial.status_text:
            label = _label(Trial, "status", trial.status)
            as_of = f" ({trial.status_as_of:%d.%m.%Y})" if trial.status_as_of and label else ""
            if _set(trial, "status_text", f"{label}{as_of}"):
                changed.add("status_text")
    for value_field, text_field in TRIAL_YES_NO:
        if text_field in data and value_field not in data:
            _set(trial, value_field, vocabulary.parse_yes_no(getattr(trial, text_field)))
        elif value_field in data and text_field not in data and value_field in changed:
            _set(trial, text_field, YES_NO_TEXT.get(getattr(trial, value_field), ""))


def _registry_ids(trial: Trial) -> list[identifiers.RegistryId]:
    found, _errors = identifiers.find_all(trial.registry_id_text) if trial.registry_id_text else ([], [])
    return found


@transaction.atomic
def trial_save(*, trial: Trial | None, product: Product | None, data: Mapping, user, reason: str, source: str) -> Trial:
    """Create (``trial=None``, ``product`` required) or change a trial; returns it saved.

    ``data`` may be partial: only the fields it names change. It holds the
    regulatory column's cells as written (``TRIAL_SHEET_FIELDS``: ``registry_id_text``,
    ``title``, ``phase_text``, ``status_text``, ...), optionally the controlled values
    (``phase``, ``status``, ``status_as_of``, ``sponsor_type``, ``centre_type``,
    ``mechanism_known``, ``first_in_human``), ``start_year``, and ``column_index``
    (a new trial otherwise takes the next free column). Any other key raises
    UnknownField. ``product`` given with an existing trial moves it there.

    Normalised here: text trimmed; text alone -> controlled value, value alone ->
    its label as text ("Recruiting (30.11.2026)" from ``status`` + ``status_as_of``;
    "Yes"/"No" for the yes/no questions); the registry IDs in ``registry_id_text``
    become TrialIdentifier rows, the primary identifier and the start year (the
    EudraCT/EU CT year wins over a given ``start_year``); countries get their
    lookup rows; the product's highest phase follows.

    Writes one trial history row (when anything changed) with ``user``, ``reason``
    and ``source``, and one product history row when the highest phase moves.
    """
    _check_keys(data, TRIAL_CONTENT_FIELDS + TRIAL_RECORD_FIELDS, Trial)
    creating = trial is None or trial.pk is None
    trial = trial if trial is not None else Trial()
    if product is not None and trial.product_id != product.pk:
        trial.product = product
    if trial.product_id is None:
        raise ValueError("A new trial needs its product.")
    changed = _apply(trial, data)
    _derive_trial(trial, data, changed)
    if creating and "column_index" not in data:
        last = Trial.objects.filter(product_id=trial.product_id).aggregate(m=Max("column_index"))["m"]
        trial.column_index = 0 if last is None else last + 1
    found = _registry_ids(trial)
    if creating or "registry_id_text" in changed:
        best = identifiers.primary(found)
        trial.primary_identifier = best.value if best else ""
        trial.start_year = identifiers.start_year(found) or trial.start_year
    tag_history(trial, user=user, reason=reason or ("Created" if creating else "Edited"), source=source)
    trial.save()
    if creating or "registry_id_text" in changed:
        trial.identifiers.all().delete()
        TrialIdentifier.objects.bulk_create(
            TrialIdentifier(trial=trial, registry=ident.registry, value=ident.value) for ident in found
        )
    if creating or "countries_text" in changed:
        trial.countries.set(vocabulary.locations_for(trial.countries_text)[0])
    _follow_highest_phase(trial.product, user=user, reason=reason, source=source)
    return trial


@transaction.atomic
def trial_delete(*, trial: Trial, user, reason: str, source: str) -> None:
    """Remove a trial; the history row says who and why; the product's highest phase follows."""
    product = trial.product
    tag_history(trial, user=user, reason=reason or "Trial removed", source=source)
    trial.delete()
    _follow_highest_phase(product, user=user, reason=reason, source=source)


def _follow_highest_phase(product: Product, *, user, reason: str, source: str) -> None:
    phases = Trial.objects.filter(product=product).exclude(phase="").values_list("phase", flat=True)
    best = max(phases, key=Phase.rank, default="")
    if best != product.highest_phase:
        product.highest_phase = best
        tag_history(product, user=user, reason=reason or "Highest phase follows the trials", source=source)
        product.save(update_fields=["highest_phase", "updated_at"])


# --- Review ------------------------------------------------------------------------------
class ProductCuration(CurationFlow):
    """The product's review: a product and its trials are reviewed together."""

    contributor_field = "owner"
    label = "ATMP record"

    def contributor_ids(self, obj: Product) -> set[int]:
        users = super().contributor_ids(obj)
        trial_history = Trial.history.filter(product_id=obj.pk)
        if obj.submitted_at is not None:
            trial_history = trial_history.filter(history_date__gte=obj.submitted_at)
        users.update(uid for uid in trial_history.values_list("history_user_id", flat=True).distinct() if uid)
        return users

    def on_publish(self, obj: Product, reviewer) -> None:
        _follow_highest_phase(obj, user=reviewer, reason="Approved", source="review")

    def notification(self, obj: Product, *, approved: bool) -> Notification:
        verdict = "approved" if approved else "not approved"
        return Notification(
            subject=f"Your ATMP record “{obj.name}” was {verdict}",
            template="trials/email/reviewed.txt",
            context={
                "product": obj,
                "approved": approved,
                "comment": obj.review_comment,
                "path": reverse("trials:product_detail", args=[obj.slug]),
            },
        )


PRODUCT_CURATION = ProductCuration()


def product_submit(*, product: Product, submitted_by, reason: str = "", source: str = "review") -> Product:
    """Send a draft, a rejected record or an edit to the review queue; a waiting one stays as it is.

    Sets status SUBMITTED and the submission time, clears the last decision, makes
    ``submitted_by`` the owner when there is none; one history row with the reason.
    """
    return PRODUCT_CURATION.submit(obj=product, submitted_by=submitted_by, reason=reason, source=source)


def product_approve(*, product: Product, reviewer, comment: str = "") -> Product:
    """Publish a submitted product with its trials (four eyes); raises ReviewError when not allowed.

    Records reviewer, time and comment; history reason "Approved[: comment]"; e-mails the owner.
    """
    return PRODUCT_CURATION.approve(obj=product, reviewer=reviewer, comment=comment)


def product_reject(*, product: Product, reviewer, comment: str) -> Product:
    """Send a submission back to its owner; ``comment`` (why) is required; raises ReviewError.

    Records reviewer, time and comment; history reason "Rejected: comment"; e-mails the owner.
    """
    return PRODUCT_CURATION.reject(obj=product, reviewer=reviewer, comment=comment)


__all__ = [
    "ReviewError",
    "UnknownField",
    "product_save",
    "trial_save",
    "trial_delete",
    "product_submit",
    "product_approve",
    "product_reject",
]
