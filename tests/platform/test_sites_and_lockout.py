"""The Sites row follows SITE_URL; one login lockout policy, per account and IP (django-axes)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.conf import settings as django_settings
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command

from tests.conftest import make_user

PASSWORD = "correct-horse-battery"


@pytest.mark.django_db
def test_the_site_is_named_from_site_url_not_example_com():
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("127.0.0.1:8000", "ATMP Expert Platform")


@pytest.mark.django_db(transaction=True)
def test_every_migrate_keeps_the_site_in_step_with_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8731"
    call_command("migrate", verbosity=0)
    assert Site.objects.get_current().domain == "127.0.0.1:8731"


@pytest.mark.django_db
def test_signup_e_mail_names_the_platform(client):
    client.post(
        "/accounts/signup/",
        {"email": "newcomer@example.org", "password1": "a-long-passphrase-2026", "password2": "a-long-passphrase-2026"},
    )
    message = mail.outbox[-1]
    assert "example.com" not in message.subject + message.body
    assert "ATMP Expert Platform" in message.subject + message.body


@pytest.mark.skipif(not shutil.which("make"), reason="GNU make is not installed")
def test_make_run_with_a_port_gives_links_on_that_port():
    variables = subprocess.run(
        ["make", "-n", "-p", "run", "PORT=8731"],
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout
    assert "SITE_URL := http://127.0.0.1:8731" in variables
    assert "runserver 127.0.0.1:8731" in variables


@pytest.mark.django_db
def test_failed_logins_on_other_accounts_from_the_same_ip_lock_nobody_else_out(client, settings):
    """Twelve accounts mistyped once each from one address (an office behind NAT): nobody else is locked."""
    for number in range(12):
        make_user(f"colleague{number}@example.org", role="expert")
        response = client.post("/accounts/login/", {"login": f"colleague{number}@example.org", "password": "typo"})
        assert response.status_code == 200
    make_user("careful@example.org", role="expert", password=PASSWORD)
    response = client.post("/accounts/login/", {"login": "careful@example.org", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_lockout_is_per_account_and_ip(client, settings):
    make_user("target@example.org", role="expert", password=PASSWORD)
    make_user("neighbour@example.org", role="expert", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"login": "target@example.org", "password": "wrong-guess"})
    # The target account is locked from this address, even with the right password ...
    locked = client.post("/accounts/login/", {"login": "target@example.org", "password": PASSWORD})
    assert locked.status_code == 429
    # ... from another address it is not, and other accounts from this address are not either.
    other_ip = client.post(
        "/accounts/login/", {"login": "target@example.org", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_ip.status_code == 302
    client.logout()
    neighbour = client.post("/accounts/login/", {"login": "neighbour@example.org", "password": PASSWORD})
    assert neighbour.status_code == 302
