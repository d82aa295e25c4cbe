"""User reports ("report this") and the log of what moderators did, with who and why."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    INACCURATE = "inaccurate", "Inaccurate or outdated"
    OFFENSIVE = "offensive", "Offensive or abusive"
    PERSONAL_DATA = "personal_data", "Reveals personal data"
    OTHER = "other", "Something else"


class Report(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    details = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]


class ModerationAction(models.Model):
    class Kind(models.TextChoices):
        APPROVE = "approve", "Approve / republish"
        UNPUBLISH = "unpublish", "Unpublish"
        EDIT = "edit", "Edit"
        LOCK = "lock", "Lock thread"
        UNLOCK = "unlock", "Unlock thread"
        WARN = "warn", "Warn the author"
        DISMISS = "dismiss", "Dismiss reports"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    item_label = models.CharField(max_length=250, help_text="The item's title when the action was taken.")
    action = models.CharField(max_length=12, choices=Kind.choices)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
