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


@shared_task(name="facilities.run_import")
def run_import(job_id: int) -> None:
    """Run one import job: claimed once (queued -> running), progress on the row, the report when done."""
    from platform_site.uploads import UploadRejected

    from . import importing
    from .import_jobs import ImportJob, ImportStatus

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)

    def progress(share: float) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=min(max(share, 0.0), 1.0), updated_at=timezone.now())

    try:
        dataset = importing.read_upload(bytes(job.content), job.filename)
        ImportJob.objects.filter(pk=job_id).update(rows_total=len(dataset))
        report = importing.facilities_import(
            dataset=dataset,
            dry_run=job.dry_run,
            table=job.table,
            skip_invalid=job.skip_invalid,
            user=job.created_by,
            progress=progress,
        )
    except UploadRejected as error:
        _finish_import(job_id, ImportStatus.FAILED, error=error.message)
    except Exception as error:
        _finish_import(job_id, ImportStatus.FAILED, error=f"The import stopped: {error.__class__.__name__}.")
        raise
    else:
        failed = report.errors and not report.skipped_rows
        status = ImportStatus.FAILED if failed else ImportStatus.SUCCEEDED
        error = f"{len(report.errors)} error(s); nothing was saved." if failed else ""
        _finish_import(job_id, status, report=report.as_dict(), error=error)


@shared_task(name="facilities.dispatch_waiting_imports")
def dispatch_waiting_imports() -> int:
    """Periodic (celery beat, CELERY_BEAT_SCHEDULE): send import jobs recorded while the broker was down."""
    from .hub_services import import_jobs_dispatch_waiting

    return import_jobs_dispatch_waiting()


def _finish_import(job_id: int, status: str, *, report: dict | None = None, error: str = "") -> None:
    from .import_jobs import ImportJob

    now = timezone.now()
    values = {"status": status, "error": error, "finished_at": now, "updated_at": now, "content": b""}
    if report is not None:
        values["report"] = report
    if status == "succeeded":
        values["progress"] = 1.0
    ImportJob.objects.filter(pk=job_id).update(**values)
