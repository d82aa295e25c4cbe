"""Submit -> review -> publish for knowledge items (case studies, resources)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from platform_site.permissions import is_curator
from trials.models import CurationStatus

from ..notify import notify


class ReviewError(ValueError):
    """A review step that is not allowed; the message says why, for the reviewer."""


@transaction.atomic
def item_submit(*, item, submitted_by):
    if item.curation_status == CurationStatus.SUBMITTED:
        return item
    item.curation_status = CurationStatus.SUBMITTED
    item.submitted_at = timezone.now()
    item.reviewed_by, item.reviewed_at, item.review_comment = None, None, ""
    if item.owner_id is None:
        item.owner = submitted_by
    item._history_user = submitted_by
    item.save()
    return item


def _decide(item, reviewer, status: str, comment: str):
    item = type(item).objects.select_for_update().get(pk=item.pk)
    if not is_curator(reviewer):
        raise ReviewError("Only curators review submissions.")
    if item.curation_status != CurationStatus.SUBMITTED:
        raise ReviewError(f"“{item}” is not waiting for review.")
    if item.owner_id == reviewer.pk:
        raise ReviewError(f"Four eyes: you submitted “{item}”, so another curator must review it.")
    item.curation_status = status
    item.reviewed_by, item.reviewed_at, item.review_comment = reviewer, timezone.now(), comment
    if status == CurationStatus.PUBLISHED and hasattr(item, "published_at"):
        item.published_at = item.published_at or timezone.now()
    item._history_user = reviewer
    item.save()
    if item.owner is not None:
        verdict = "approved" if status == CurationStatus.PUBLISHED else "not approved"
        notify(
            item.owner,
            subject=f"Your submission “{item}” was {verdict}",
            template="knowledge/email/reviewed.txt",
            context={"item": item, "verdict": verdict, "comment": comment},
            essential=True,
        )
    return item


@transaction.atomic
def item_approve(*, item, reviewer, comment: str = ""):
    return _decide(item, reviewer, CurationStatus.PUBLISHED, (comment or "").strip())


@transaction.atomic
def item_reject(*, item, reviewer, comment: str):
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError("Say why the submission is rejected: the author reads this comment.")
    return _decide(item, reviewer, CurationStatus.REJECTED, comment)
