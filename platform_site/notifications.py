"""E-mail to users, always sent by a Celery task after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from .tasks import send_email


def notify_user(user, *, subject: str, template: str, context: dict) -> None:
    """Render a plain-text e-mail now; send it from a worker once the data is committed."""
    body = render_to_string(template, {"user": user, "site_url": settings.SITE_URL, **context})
    recipient = user.email
    transaction.on_commit(lambda: send_email.delay(recipient, subject, body))
