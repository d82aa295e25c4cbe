"""Writes of the GMP coordination hub: facility contacts, service offers, needs and enquiries.

One function per kind of write; the pages, the admin and the demo all call these.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from platform_site.notifications import notify_user

from .contacts import FacilityContact


class AlreadyClaimed(Exception):
    pass


# --- Facility contacts ------------------------------------------------------------------
def contact_claim(*, facility, user, role: str) -> FacilityContact:
    """An expert says they work at the facility; a curator confirms it before it counts."""
    try:
        with transaction.atomic():
            return FacilityContact.objects.create(facility=facility, user=user, role=role.strip())
    except IntegrityError as error:
        raise AlreadyClaimed(facility.name) from error


@transaction.atomic
def contact_confirm(*, contact: FacilityContact, curator) -> FacilityContact:
    """Confirm once; a second confirmation keeps the first curator and time."""
    updated = FacilityContact.objects.filter(pk=contact.pk, confirmed_at__isnull=True).update(
        confirmed_by=curator, confirmed_at=timezone.now()
    )
    contact.refresh_from_db()
    if updated and contact.user.email:
        notify_user(
            contact.user,
            subject=f"You are confirmed as a contact of {contact.facility.name}",
            template="facilities/email/contact_confirmed.txt",
            context={"contact": contact, "facility": contact.facility},
        )
    return contact


def contact_remove(*, contact: FacilityContact) -> None:
    """Decline a claim or end a confirmed contact: the link is deleted."""
    contact.delete()
