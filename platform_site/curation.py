"""The one submit -> review -> publish flow, shared by every curated record.

A curated record (an ATMP product, a pending revision of one, a case study) is
public only once PUBLISHED. Its contributor submits it; a curator approves or
rejects it with a comment; nobody approves what they submitted or changed in the
same round (four eyes); the contributor is told the decision after commit.

Use it in two steps:

1. the model inherits ``CuratedModel`` (status, submission and decision fields) and its
   queryset ``CuratedQuerySet`` (``public``, ``visible_to``, ``awaiting_review``);
2. a ``CurationFlow`` subclass names the contributor field and, where needed,
   overrides the hooks: ``contributor_ids`` (who counts as having changed the record),
   ``on_publish`` / ``on_reject`` (work done inside the decision's transaction) and
   ``notification`` (the e-mail to the contributor).

Every save the flow makes carries the acting user, a reason and the source
``"review"`` into django-simple-history when the model keeps history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

# simple_history's change reason column holds 100 characters.
REASON_MAX_LENGTH = 100


class CurationStatus(models.TextChoices):
    """Only PUBLISHED records are public."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"


class CuratedQuerySet(models.QuerySet):
    """Who sees a curated record: everyone once published; before that its owner and curators."""

    def public(self):
        return self.filter(curation_status=CurationStatus.PUBLISHED)

    def visible_to(self, user):
        from platform_site.permissions import is_curator

        if is_curator(user):
            return self
        if user.is_authenticated:
            return self.filter(models.Q(curation_status=CurationStatus.PUBLISHED) | models.Q(owner=user))
        return self.public()

    def awaiting_review(self):
        return self.filter(curation_status=CurationStatus.SUBMITTED)


class CuratedModel(models.Model):
    """Status, submission and decision fields of a curated record (abstract).

    Its manager's queryset should extend ``CuratedQuerySet``, which expects an ``owner`` field.
    """

    curation_status = models.CharField(
        max_length=20, choices=CurationStatus.choices, default=CurationStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_%(class)ss",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.curation_status == CurationStatus.PUBLISHED

    @property
    def awaits_review(self) -> bool:
        return self.curation_status == CurationStatus.SUBMITTED


class HistorySource(models.Model):
    """Extra column of a history table: which entry point wrote the row ("web", "api", "sheet", ...).

    Pass it to ``HistoricalRecords(bases=[HistorySource])``; set ``instance._history_source``
    before saving (``tag_history`` does) and the row records it.
    """

    history_source = models.CharField(max_length=20, blank=True)

    class Meta:
        abstract = True


def tag_history(instance, *, user, reason: str, source: str = "") -> None:
    """Who, why and through which entry point: stored on the history row the next save writes."""
    instance._history_user = user
    instance._change_reason = (reason or "")[:REASON_MAX_LENGTH]
    instance._history_source = (source or "")[:20]


def _record_history_source(sender, history_instance, **kwargs) -> None:
    if hasattr(history_instance, "history_source"):
        history_instance.history_source = getattr(kwargs.get("instance"), "_history_source", "") or ""


def _connect_history_source() -> None:
    from simple_history.signals import pre_create_historical_record

    pre_create_historical_record.connect(_record_history_source, dispatch_uid="curation_history_source")


_connect_history_source()


class ReviewError(ValueError):
    """A review step that is not allowed; the message says why, for the person trying it."""


@dataclass(frozen=True)
class Notification:
    """The e-mail a contributor gets about a decision."""

    subject: str
    template: str
    context: dict


class CurationFlow:
    """Submit, approve and reject for one curated model. Subclass once per model.

    The three steps lock the row, check who may act, save the decision with its
    reason in the history and call the hooks, all in one transaction.
    """

    #: The field naming the contributor (a ForeignKey to the user model).
    contributor_field = "owner"
    #: How the record is named in messages ("“{}” is not waiting for review").
    label = "record"

    # --- hooks -------------------------------------------------------------------------
    def contributor_ids(self, obj) -> set[int]:
        """Everyone who submitted or changed the record in this round: they may not review it.

        The contributor always counts; with django-simple-history, so does every
        user named on a history row written since the submission.
        """
        users: set[int] = set()
        contributor_id = getattr(obj, f"{self.contributor_field}_id", None)
        if contributor_id:
            users.add(contributor_id)
        history = getattr(type(obj), "history", None)
        if history is not None:
            rows = history.filter(id=obj.pk)
            if obj.submitted_at is not None:
                rows = rows.filter(history_date__gte=obj.submitted_at)
            users.update(uid for uid in rows.values_list("history_user_id", flat=True).distinct() if uid)
        return users

    def on_publish(self, obj, reviewer) -> None:
        """Work done when a record is approved, inside the decision's transaction."""

    def on_reject(self, obj, reviewer) -> None:
        """Work done when a record is rejected, inside the decision's transaction."""

    def notification(self, obj, *, approved: bool) -> Notification | None:
        """The contributor's e-mail about the decision, or None to send nothing."""
        return None

    # --- the steps -------------------------------------------------------------------
    @transaction.atomic
    def submit(self, *, obj, submitted_by, reason: str = "", source: str = "review"):
        """Put a draft or rejected record (or one edited since approval) in the review queue.

        A record already waiting keeps its submission time. The submitter becomes the
        contributor when the record has none.
        """
        if obj.curation_status == CurationStatus.SUBMITTED and obj.submitted_at:
            return obj
        obj.curation_status = CurationStatus.SUBMITTED
        obj.submitted_at = timezone.now()
        obj.reviewed_by = None
        obj.reviewed_at = None
        obj.review_comment = ""
        fields = ["curation_status", "submitted_at", "reviewed_by", "reviewed_at", "review_comment"]
        if getattr(obj, f"{self.contributor_field}_id", None) is None and submitted_by is not None:
            setattr(obj, self.contributor_field, submitted_by)
            fields.append(self.contributor_field)
        tag_history(obj, user=submitted_by, reason=reason or "Submitted for review", source=source)
        obj.save(update_fields=self._with_timestamp(obj, fields))
        return obj

    def check_reviewer(self, obj, reviewer) -> None:
        """Raise ReviewError unless ``reviewer`` may decide on ``obj`` now."""
        from platform_site.permissions import is_curator

        if not is_curator(reviewer):
            raise ReviewError("Only curators review submissions.")
        if obj.curation_status != CurationStatus.SUBMITTED:
            raise ReviewError(f"“{obj}” is not waiting for review (it is {obj.get_curation_status_display()}).")
        if reviewer.pk in self.contributor_ids(obj):
            raise ReviewError(f"Four eyes: you submitted or changed “{obj}”, so another curator must review it.")

    @transaction.atomic
    def approve(self, *, obj, reviewer, comment: str = ""):
        """Publish a submitted record; raises ReviewError when not allowed."""
        comment = (comment or "").strip()
        reason = f"Approved: {comment}" if comment else "Approved"
        obj = self._decide(obj, reviewer, CurationStatus.PUBLISHED, comment, reason)
        self.on_publish(obj, reviewer)
        self._notify(obj, approved=True)
        return obj

    @transaction.atomic
    def reject(self, *, obj, reviewer, comment: str):
        """Send a submission back; the comment saying why is required (the contributor reads it)."""
        comment = (comment or "").strip()
        if not comment:
            raise ReviewError("Say why the submission is rejected: the contributor reads this comment.")
        obj = self._decide(obj, reviewer, CurationStatus.REJECTED, comment, f"Rejected: {comment}")
        self.on_reject(obj, reviewer)
        self._notify(obj, approved=False)
        return obj

    # --- internals ---------------------------------------------------------------------
    def _decide(self, obj, reviewer, status: str, comment: str, reason: str):
        """Lock the row, check the four eyes, and save the decision with its reason in the history."""
        obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        self.check_reviewer(obj, reviewer)
        obj.curation_status = status
        obj.reviewed_by = reviewer
        obj.reviewed_at = timezone.now()
        obj.review_comment = comment
        tag_history(obj, user=reviewer, reason=reason, source="review")
        fields = ["curation_status", "reviewed_by", "reviewed_at", "review_comment"]
        obj.save(update_fields=self._with_timestamp(obj, fields))
        return obj

    def _notify(self, obj, *, approved: bool) -> None:
        contributor = getattr(obj, self.contributor_field, None)
        if contributor is None or not contributor.email:
            return
        message = self.notification(obj, approved=approved)
        if message is not None:
            from platform_site.notifications import notify_user

            notify_user(contributor, subject=message.subject, template=message.template, context=message.context)

    @staticmethod
    def _with_timestamp(obj, fields: list[str]) -> list[str]:
        has_updated_at = any(f.name == "updated_at" for f in obj._meta.concrete_fields)
        return [*fields, "updated_at"] if has_updated_at else fields
