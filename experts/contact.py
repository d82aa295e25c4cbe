"""Messages between members, e-mailed without revealing the recipient's address.

Stored so the sender sees what they sent and a curator can act on a report. The
sender's address goes into the e-mail (as Reply-To) only when they ticked "share my
e-mail"; the recipient's address is never shown to anyone but curators.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class ContactMessageQuerySet(models.QuerySet):
    def sent_by_since(self, user, since):
        return self.filter(sender=user, created_at__gte=since)

    def received_since(self, profile, since):
        return self.filter(recipient=profile, created_at__gte=since)

    def reported(self):
        return self.filter(reported_at__isnull=False)

    def sender_over_limit(self, user) -> bool:
        hour_ago = timezone.now() - timedelta(hours=1)
        return self.sent_by_since(user, hour_ago).count() >= settings.EXPERTS_CONTACT_PER_SENDER_PER_HOUR

    def recipient_over_limit(self, profile) -> bool:
        day_ago = timezone.now() - timedelta(days=1)
        return self.received_since(profile, day_ago).count() >= settings.EXPERTS_CONTACT_PER_RECIPIENT_PER_DAY


class ContactMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not delivered"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_messages")
    recipient = models.ForeignKey("experts.ExpertProfile", on_delete=models.CASCADE, related_name="received_messages")
    subject = models.CharField(max_length=150)
    body = models.TextField(max_length=5000)
    share_email = models.BooleanField(
        "share my e-mail address", default=False, help_text="The expert can then reply to you directly."
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True, db_index=True)
    report_reason = models.TextField(blank=True, max_length=2000)
    report_handled_at = models.DateTimeField(null=True, blank=True)

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
