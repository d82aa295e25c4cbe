"""E-mailing members' messages from a worker: the task takes the message's key and claims the row."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone


@shared_task(name="experts.deliver_contact_message", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_contact_message(message_id: int) -> str:
    from .models import ContactMessage

    # Claim: only one worker sends a given message, even if the task is delivered twice.
    claimed = ContactMessage.objects.filter(
        pk=message_id, status__in=[ContactMessage.Status.QUEUED, ContactMessage.Status.FAILED]
    ).update(status=ContactMessage.Status.SENDING)
    if not claimed:
        return "skipped"
    message = ContactMessage.objects.select_related("sender__profile", "recipient__user").get(pk=message_id)
    sender_name = message.sender.profile.salutation if message.share_email else message.sender.profile.name
    body = render_to_string(
        "experts/email/contact_message.txt",
        {
            "message": message,
            "sender_name": sender_name,
            "site_url": settings.SITE_URL,
            # A pending sender's profile is not visible to the recipient: no link to a 404.
            "sender_path": message.sender.profile.get_absolute_url() if message.sender.profile.is_approved else "",
            "report_path": reverse("experts:message_report", args=[message.public_id]),
            "settings_path": reverse("experts:me"),
        },
    )
    email = EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Message from {sender_name}: {message.subject}",
        body=body,
        to=[message.recipient.user.email],
        reply_to=[message.sender.email] if message.share_email else None,
    )
    try:
        email.send()
    except OSError as exc:
        ContactMessage.objects.filter(pk=message_id).update(status=ContactMessage.Status.FAILED, error=str(exc)[:300])
        raise
    ContactMessage.objects.filter(pk=message_id).update(
        status=ContactMessage.Status.SENT, sent_at=timezone.now(), error=""
    )
    return "sent"
