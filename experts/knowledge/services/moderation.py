"""Reports and moderation: every reportable kind, and the one function that acts on any of them.

Actions (approve/republish, unpublish, edit, lock, unlock, warn, dismiss) need a
reason, are logged with the moderator, resolve the item's open reports, and the
item's author is e-mailed (except when reports are only dismissed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from experts.models import KnowledgeArticle
from platform_site.curation import CurationStatus, ReviewError, tag_history
from platform_site.permissions import is_curator

from ..models import Answer, AnswerComment, CaseStudy, Event, ModerationAction, NewsPost, Question, Report, Resource
from ..notify import notify


class ModerationError(ValueError):
    """An action that cannot be taken; the message says why."""


def _set(**values) -> Callable:
    def apply(obj, moderator, reason):
        for name, value in values.items():
            setattr(obj, name, value() if callable(value) else value)
        obj.save()

    return apply


def _curated(status: str) -> Callable:
    def apply(obj, moderator, reason):
        from .cases import case_flow
        from .library import resource_flow

        flow = case_flow if isinstance(obj, CaseStudy) else resource_flow
        if status == CurationStatus.PUBLISHED and obj.curation_status == CurationStatus.SUBMITTED:
            try:
                flow.approve(obj=obj, reviewer=moderator, comment=reason)
            except ReviewError as error:
                raise ModerationError(str(error)) from error
            return
        if status == CurationStatus.PUBLISHED and obj.reviewed_at is None:
            raise ModerationError("This item was never reviewed: it must be submitted and approved first.")
        obj.curation_status = status
        tag_history(obj, user=moderator, reason=f"Moderation: {reason}", source="moderation")
        obj.save()

    return apply


def _article(publish: bool) -> Callable:
    def apply(obj, moderator, reason):
        if publish:
            obj.publish()
        else:
            obj.status = KnowledgeArticle.Status.DRAFT
        obj.save()

    return apply


@dataclass(frozen=True)
class Reportable:
    key: str
    label: str
    model: type
    author_field: str
    unpublish: Callable
    republish: Callable
    text_field: str = ""

    def author(self, obj):
        return getattr(obj, self.author_field, None)


REPORTABLES = {
    r.key: r
    for r in [
        Reportable("case", "Case study", CaseStudy, "owner", _curated(CurationStatus.DRAFT),
                   _curated(CurationStatus.PUBLISHED)),
        Reportable("resource", "Resource", Resource, "owner", _curated(CurationStatus.DRAFT),
                   _curated(CurationStatus.PUBLISHED)),
        Reportable("question", "Question", Question, "author", _set(is_hidden=True), _set(is_hidden=False), "body"),
        Reportable("answer", "Answer", Answer, "author", _set(is_hidden=True), _set(is_hidden=False), "body"),
        Reportable("comment", "Comment", AnswerComment, "author", _set(is_hidden=True), _set(is_hidden=False),
                   "body"),
        Reportable("article", "Article", KnowledgeArticle, "author", _article(False), _article(True), "body"),
        Reportable("event", "Event", Event, "created_by", _set(is_published=False), _set(is_published=True),
                   "description"),
        Reportable("news", "News post", NewsPost, "author", _set(published_at=None),
                   _set(published_at=timezone.now), "body"),
    ]
}  # fmt: skip


def reportable_key(obj) -> str:
    return next((key for key, r in REPORTABLES.items() if isinstance(obj, r.model)), "")


def report_create(*, obj, reporter, reason: str, details: str = "") -> Report:
    """A user reports an item; one open report per user and item (a second one updates it)."""
    content_type = ContentType.objects.get_for_model(obj)
    report, _ = Report.objects.update_or_create(
        content_type=content_type, object_id=obj.pk, reporter=reporter, resolved_at__isnull=True,
        defaults={"reason": reason, "details": details},
    )  # fmt: skip
    return report


def _lock(locked: bool) -> Callable:
    def apply(obj, moderator, reason):
        if not isinstance(obj, Question):
            raise ModerationError("Only question threads can be locked.")
        obj.is_locked = locked
        obj.save(update_fields=["is_locked", "updated_at"])

    return apply


@transaction.atomic
def moderate(*, key: str, pk: int, action: str, moderator, reason: str, text: str = "") -> ModerationAction:
    """Act on one item; raises ModerationError when the action is not possible."""
    if not is_curator(moderator):
        raise ModerationError("Only curators moderate.")
    reportable = REPORTABLES.get(key)
    if reportable is None or action not in ModerationAction.Kind.values:
        raise ModerationError("Unknown item or action.")
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Give a reason: it is logged and sent to the author.")
    obj = reportable.model.objects.select_for_update().filter(pk=pk).first()
    if obj is None:
        raise ModerationError("The item no longer exists.")
    Kind = ModerationAction.Kind
    if action == Kind.EDIT:
        if not reportable.text_field or not text.strip():
            raise ModerationError("Give the corrected text (edit case studies and resources on their edit page).")
        setattr(obj, reportable.text_field, text)
        obj.save()
    else:
        step = {
            Kind.APPROVE: reportable.republish,
            Kind.UNPUBLISH: reportable.unpublish,
            Kind.LOCK: _lock(True),
            Kind.UNLOCK: _lock(False),
        }.get(action)
        if step is not None:
            step(obj, moderator, reason)
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(obj)
    Report.objects.filter(content_type=content_type, object_id=obj.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=moderator
    )
    author = reportable.author(obj)
    logged = ModerationAction.objects.create(
        content_type=content_type, object_id=obj.pk, item_label=str(obj)[:250], action=action,
        moderator=moderator, author=author, reason=reason,
    )  # fmt: skip
    if action != Kind.DISMISS and author is not None and author.pk != moderator.pk:
        notify(author, subject=f"A moderator acted on your contribution “{str(obj)[:80]}”",
               template="knowledge/email/moderated.txt",
               context={"item": obj, "action": logged.get_action_display(), "reason": reason},
               essential=True)  # fmt: skip
    return logged
