"""Notices to users, honouring each user's e-mail preference (immediately, daily digest, never).

Review decisions and moderation warnings are `essential`: they concern the user's own
contributions and are always e-mailed at once. Every e-mail leaves through
platform_site.notifications (a Celery task after the transaction commits).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from platform_site.notifications import notify_user

from .models import DigestNotice, EmailFrequency, NotificationPreference


def notify(user, *, subject: str, template: str, context: dict, essential: bool = False) -> None:
    if user is None or not user.email or not user.is_active:
        return
    frequency = EmailFrequency.IMMEDIATELY if essential else NotificationPreference.frequency_of(user)
    if frequency == EmailFrequency.IMMEDIATELY:
        notify_user(user, subject=subject, template=template, context=context)
    elif frequency == EmailFrequency.DAILY:
        body = render_to_string(template, {"user": user, "site_url": settings.SITE_URL, **context})
        DigestNotice.objects.create(user=user, subject=subject[:250], body=body)
