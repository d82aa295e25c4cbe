"""Per-user e-mail preferences and the notices waiting for a daily digest."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately, one e-mail per notice"
    DAILY = "daily", "One daily digest"
    NEVER = "never", "Never"


class NotificationPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_preference")
    email_frequency = models.CharField(
        "e-mail me about questions, answers and followed topics",
        max_length=12,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATELY,
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_frequency_display()}"

    @classmethod
    def frequency_of(cls, user) -> str:
        pref = cls.objects.filter(user=user).values_list("email_frequency", flat=True).first()
        return pref or EmailFrequency.IMMEDIATELY


class DigestNotice(models.Model):
    """A notice for a user who reads a daily digest; `sent_at` is set when a digest claims it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_notices")
    subject = models.CharField(max_length=250)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
