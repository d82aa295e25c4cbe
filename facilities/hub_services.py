"""Writes of the GMP coordination hub: facility contacts, service offers, needs and enquiries.

One function per kind of write; the pages, the admin and the demo all call these.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from platform_site.notifications import notify_user

from .contacts import FacilityContact
from .hub_models import Answer, Enquiry, ManufacturingNeed, NeedStatus, ServiceOffer
from .import_jobs import ImportJob, ImportStatus
from .tasks import notify_enquiry, run_import

logger = logging.getLogger(__name__)


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


# --- Service offers ---------------------------------------------------------------------
def offer_save(*, facility, values: dict, user=None) -> ServiceOffer:
    """Create or update the facility's offer; saving it confirms it today."""
    offer = ServiceOffer.objects.filter(facility=facility).first() or ServiceOffer(facility=facility)
    for name, value in values.items():
        setattr(offer, name, value)
    offer.confirmed_on = values.get("confirmed_on") or timezone.localdate()
    offer.updated_by = user
    offer.full_clean()
    offer.save()
    return offer


# --- Manufacturing needs ----------------------------------------------------------------
def need_save(*, need: ManufacturingNeed) -> ManufacturingNeed:
    need.full_clean()
    need.save()
    return need


def need_close(*, need: ManufacturingNeed) -> ManufacturingNeed:
    ManufacturingNeed.objects.filter(pk=need.pk).update(status=NeedStatus.CLOSED, updated_at=timezone.now())
    need.refresh_from_db()
    return need


def need_moderate(*, need: ManufacturingNeed, hide: bool, note: str = "") -> ManufacturingNeed:
    """Curators hide a need (it stays visible to its owner and curators) or show it again."""
    need.status = NeedStatus.HIDDEN if hide else NeedStatus.OPEN
    need.moderation_note = note[:255]
    need.save(update_fields=["status", "moderation_note", "updated_at"])
    return need


# --- Enquiries ---------------------------------------------------------------------------
def enquiries_send(*, need: ManufacturingNeed, facility_ids, matches) -> list[Enquiry]:
    """Send the need to the chosen facilities among its matches; each facility once.

    Facilities not among the current matches are ignored (a developer contacts what the hub proposed).
    Their confirmed contacts are told by e-mail from a worker, after commit.
    """
    by_id = {m.facility_id: m for m in matches}
    created = []
    with transaction.atomic():
        for facility_id in facility_ids:
            match = by_id.get(facility_id)
            if match is None:
                continue
            enquiry, new = Enquiry.objects.get_or_create(
                need=need,
                facility_id=facility_id,
                defaults={"score": match.score, "reasons": "; ".join(match.reasons)},
            )
            if new:
                created.append(enquiry)
    for enquiry in created:
        transaction.on_commit(lambda pk=enquiry.pk: notify_enquiry.delay(pk))
    return created


def enquiry_answer(*, enquiry: Enquiry, user, answer: str, message: str, share_email: bool) -> Enquiry:
    if answer not in (Answer.INTERESTED, Answer.NOT_INTERESTED):
        raise ValueError(answer)
    enquiry.answer = answer
    enquiry.message = message.strip()
    enquiry.answered_by = user
    enquiry.answered_at = timezone.now()
    enquiry.facility_shares_email = share_email
    enquiry.save()
    need = enquiry.need
    notify_user(
        need.owner,
        subject=f"{enquiry.facility.name} answered your manufacturing need",
        template="facilities/email/enquiry_answered.txt",
        context={"enquiry": enquiry, "need": need},
    )
    return enquiry


def enquiry_share_email(*, enquiry: Enquiry, share: bool) -> Enquiry:
    """The developer agrees (or no longer agrees) to share their address with this facility."""
    Enquiry.objects.filter(pk=enquiry.pk).update(developer_shares_email=share)
    enquiry.refresh_from_db()
    return enquiry


# --- Import jobs -------------------------------------------------------------------------
def import_job_start(*, upload, table: str, dry_run: bool, skip_invalid: bool, user) -> ImportJob:
    """Check the upload (size, sniffed type, zip limits), store it on a job row, run it on a worker.

    Dispatched after commit; when the broker is unreachable the job waits, and celery beat's
    `facilities.dispatch_waiting_imports` sends it once the broker is back.
    """
    from platform_site.uploads import CSV, XLSX, check_upload, read_bytes

    check_upload(upload, allowed=(XLSX, CSV))
    job = ImportJob.objects.create(
        created_by=user,
        filename=getattr(upload, "name", "upload")[:255],
        content=read_bytes(upload),
        table=table,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    transaction.on_commit(lambda: import_job_send(job_id=job.pk))
    return job


IMPORT_WAITING_MESSAGE = "Waiting for the task queue: it cannot be reached now; the import starts when it is back."
# A few quick tries, not kombu's default of retrying for seconds while a request waits.
SEND_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def import_job_send(*, job_id: int) -> bool:
    """Hand a queued import job to the broker; when it is unreachable, mark the job waiting."""
    from kombu.exceptions import OperationalError

    try:
        run_import.apply_async((job_id,), retry=True, retry_policy=SEND_RETRY_POLICY)
    except (OperationalError, OSError) as error:
        logger.warning("facility import job %s waits for the task queue: %s", job_id, error)
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
            status=ImportStatus.WAITING, error=IMPORT_WAITING_MESSAGE, updated_at=timezone.now()
        )
        return False
    return True


def import_jobs_dispatch_waiting() -> int:
    """Send again every import job waiting for the task queue (celery beat); returns how many went out."""
    sent = 0
    for job_id in ImportJob.objects.filter(status=ImportStatus.WAITING).order_by("pk").values_list("pk", flat=True):
        # Claimed back to queued first, so two beats never send one job twice.
        claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.WAITING).update(
            status=ImportStatus.QUEUED, error="", updated_at=timezone.now()
        )
        if not claimed:
            continue
        if not import_job_send(job_id=job_id):
            break  # still unreachable: the others wait for the next beat
        sent += 1
    return sent
