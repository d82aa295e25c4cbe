"""Background work of the facilities app: telling facilities about enquiries, running imports."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone


@shared_task(name="facilities.notify_enquiry", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_enquiry(enquiry_id: int) -> int:
    """E-mail the facility's confirmed contacts about one enquiry; claimed once, so never sent twice."""
    from .contacts import FacilityContact
    from .hub_models import Enquiry

    claimed = Enquiry.objects.filter(pk=enquiry_id, notified_at__isnull=True).update(notified_at=timezone.now())
    if not claimed:
        return 0
    enquiry = Enquiry.objects.select_related("need", "facility").get(pk=enquiry_id)
    recipients = list(
        FacilityContact.objects.confirmed()
        .filter(facility=enquiry.facility, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not recipients:
        Enquiry.objects.filter(pk=enquiry_id).update(notify_error="The facility has no confirmed contact yet.")
        return 0
    body = render_to_string(
        "facilities/email/enquiry_received.txt",
        {"enquiry": enquiry, "need": enquiry.need, "facility": enquiry.facility, "site_url": settings.SITE_URL},
    )
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Manufacturing enquiry for {enquiry.facility.name}"
    try:
        # One message per contact: their addresses stay hidden from each other.
        for address in recipients:
            send_mail(subject, body, None, [address])
    except OSError as error:
        # Let the retry claim it again; the row says why it has not gone out yet.
        Enquiry.objects.filter(pk=enquiry_id).update(notified_at=None, notify_error=str(error)[:255])
        raise
    Enquiry.objects.filter(pk=enquiry_id).update(notify_error="")
    return len(recipients)
