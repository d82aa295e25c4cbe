"""Enquiry notifications through a real Celery worker (make test-services: PostgreSQL, Redis, a worker)."""

import os
import time
from pathlib import Path

import pytest

from facilities import hub_queries, hub_services
from facilities.hub_models import Enquiry
from tests.conftest import make_user
from tests.facilities.helpers import make_contact, make_facility, make_need, make_offer


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_enquiry_e_mails_reach_the_contacts_through_a_worker(celery_worker_process):
    if not os.environ.get("EMAIL_URL", "consolemail://").startswith("consolemail"):
        pytest.skip(reason="reads the worker's console e-mail backend output (EMAIL_URL unset or consolemail://)")
    facility = make_facility("Berlin Vector Unit", city="Berlin")
    make_offer(facility)
    make_contact(facility, make_user("qa-worker@berlin.example.org", role="expert"))
    make_contact(facility, make_user("qp-worker@berlin.example.org", role="expert"))
    need = make_need(make_user("developer-worker@example.org", role="expert"), title="Vector via a worker")
    matches = [r.match for r in hub_queries.ranked_facilities(need)]

    [enquiry] = hub_services.enquiries_send(need=need, facility_ids=[facility.pk], matches=matches)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        enquiry.refresh_from_db()
        log = Path(celery_worker_process["log"]).read_text()
        if enquiry.notified_at and "qp-worker@berlin.example.org" in log:
            break
        time.sleep(0.5)
    enquiry.refresh_from_db()
    assert enquiry.notified_at is not None and enquiry.notify_error == ""
    log = Path(celery_worker_process["log"]).read_text()
    # The worker sent one message per contact (console e-mail backend), naming the need, never the developer.
    assert "To: qa-worker@berlin.example.org" in log and "To: qp-worker@berlin.example.org" in log
    assert "Vector via a worker" in log and "developer-worker@example.org" not in log
    # Claimed once: running the task again sends nothing.
    from facilities.tasks import notify_enquiry

    assert notify_enquiry.apply(args=[enquiry.pk]).get() == 0
    assert Enquiry.objects.get(pk=enquiry.pk).notified_at == enquiry.notified_at
