"""Notifications through a real Celery worker (make test-services): routing, then the e-mail task."""

import time
from pathlib import Path

import pytest

from experts.models import ExpertiseArea

from .conftest import ask, expert_with


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_routed_question_reaches_the_console_email_backend_through_a_worker(celery_worker_process):
    # Transactional tests flush the seeded taxonomy: make sure the topic exists.
    ExpertiseArea.objects.get_or_create(slug="car-t", defaults={"name": "CAR-T"})
    asker = expert_with("worker-asker@example.org")
    expert_with("worker-expert@example.org", areas=["car-t"])
    question = ask(asker, title="Worker-routed question about CAR-T release", topics=["car-t"])

    log = Path(celery_worker_process["log"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = log.read_text()
        if "To: worker-expert@example.org" in text and question.title in text:
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"no e-mail to the routed expert in the worker's console output; see {log}")
    question.refresh_from_db()
    assert question.routed_at is not None
    assert question.routings.get().expert.email == "worker-expert@example.org"
    assert "To: worker-asker@example.org" not in log.read_text()
