"""Permission matrix for every register URL: curators decide; experts may add a trial from its register.

Experts may use "Add from register" because they contribute trials anyway: the record only fills in what
they would type, and their submission waits for a curator's review like any other contribution. Their
drafts are theirs alone (another expert gets 404).
"""

from __future__ import annotations

import pytest

from tests.matrix import LOGIN, check_row, row
from trials.registers.models import ProposedChange, RefreshJob, RegisterCheck, RegisterDraft
from trials.registers.parsers import parse

from .conftest import record_text
from .test_refresh import make_trial

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(cast):
    trial = make_trial("NCT09990001")
    job = RefreshJob.objects.create(trigger="command", trial_ids=[trial.pk], state="done")
    check = RegisterCheck.objects.create(job=job, trial=trial, registry="ctgov", register_id="NCT09990001",
                                         outcome="changes")  # fmt: skip
    changes = [
        ProposedChange.objects.create(
            check_row=check,
            trial=trial,
            field="enrolment",
            register_value=48 + n,
            registry="ctgov",
            register_id="NCT09990001",
        )  # fmt: skip
        for n in range(6)
    ]
    record = parse("ctgov", record_text("ctgov", "NCT09990001"), expected_id="NCT09990001")
    draft = RegisterDraft.objects.create(created_by=cast["owner"], registry="ctgov", register_id="NCT09990001",
                                         record=record.to_json())  # fmt: skip
    return {"trial": trial, "job": job, "changes": changes, "draft": draft}


def test_register_pages(client_for, records):
    trial, job, draft = records["trial"], records["job"], records["draft"]
    for matrix_row in [
        row("/trials/registers/", LOGIN, 403, 403, 403, 200, 200),
        row(f"/trials/registers/trials/{trial.pk}/", LOGIN, 403, 403, 403, 200, 200),
        row(f"/trials/registers/jobs/{job.pk}/", LOGIN, 403, 403, 403, 200, 200),
        row("/trials/registers/add/", LOGIN, 403, 200, 200, 200, 200),
        row(f"/trials/registers/add/{draft.pk}/", LOGIN, 403, 404, 200, 200, 200),
    ]:
        check_row(client_for, matrix_row)


def test_register_actions(client_for, records, settings):
    trial = records["trial"]
    settings.REGISTRY_REFRESH_ENABLED = False  # a queued refresh fails at once instead of calling out
    check_row(client_for, row(f"/trials/registers/trials/{trial.pk}/refresh/", LOGIN, 403, 403, 403, 302, 302,
                              method="post"))  # fmt: skip
    check_row(client_for, row(f"/trials/registers/trials/{trial.pk}/refresh/", LOGIN, 403, 403, 403, 405, 405))
    # Each role that may decide takes its own pending change (a decided one cannot be decided again).
    roles = ("anonymous", "pending", "expert", "owner", "curator", "admin")
    for role, change in zip(roles, records["changes"], strict=True):
        client = client_for(role)
        response = client.post(f"/trials/registers/changes/{change.pk}/decide/", {"decision": "reject"})
        expected = {"anonymous": 302, "curator": 302, "admin": 302}.get(role, 403)
        assert response.status_code == expected, role
        change.refresh_from_db()
        assert change.state == ("rejected" if role in ("curator", "admin") else "pending"), role
    check_row(client_for, row(f"/trials/registers/changes/{records['changes'][0].pk}/decide/",
                              LOGIN, 403, 403, 403, 405, 405))  # fmt: skip


@pytest.mark.parametrize(
    "model", ["refreshjob", "registercheck", "proposedchange", "trialregisterfacts", "registerdraft"]
)
def test_admin_views_are_for_administrators(client_for, records, model):
    url = f"/admin/registers/{model}/"
    for role in ("anonymous", "pending", "expert", "owner"):
        response = client_for(role).get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], role
    assert client_for("curator").get(url).status_code == 403  # curators decide on the register pages
    assert client_for("admin").get(url).status_code == 200
    assert client_for("admin").get(f"{url}add/").status_code == 403  # read-only: writes go through the services
