"""A member's message through a real Celery worker (make test-services: PostgreSQL, Redis, a worker)."""

import os
import time
from pathlib import Path

import pytest

from experts.models import ContactMessage
from experts.services import contact_message_send
from tests.conftest import make_user
from tests.experts.conftest import make_profile


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_message_is_delivered_by_a_worker(celery_worker_process):
    if not os.environ.get("EMAIL_URL", "consolemail://").startswith("consolemail"):
        pytest.skip(reason="reads the worker's console e-mail backend output (EMAIL_URL unset or consolemail://)")
    recipient = make_profile("worker-recipient@example.org", display_name="Wanda Worker")
    sender = make_user("worker-sender@example.org", role="expert")
    message = contact_message_send(
        sender=sender, recipient=recipient, subject="Via the worker", body="Delivered by Celery.", share_email=False
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status == ContactMessage.Status.SENT:
            break
        time.sleep(0.5)
    assert message.status == ContactMessage.Status.SENT and message.sent_at
    log = Path(celery_worker_process["log"]).read_text()
    assert "To: worker-recipient@example.org" in log and "Delivered by Celery." in log
    assert "worker-sender@example.org" not in log  # not shared: neither Reply-To nor in the text
