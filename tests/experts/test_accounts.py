import re

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail

from platform_site.permissions import Role, role_of
from tests.conftest import make_user

PASSWORD = "a-sturdy-passphrase-42"


def _sign_up(client, email="newcomer@example.org"):
    return client.post("/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}, follow=True)


def _confirmation_link() -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.mark.django_db
def test_sign_up_sends_a_verification_email_and_login_waits_for_it(client):
    response = _sign_up(client)
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["newcomer@example.org"]
    user = get_user_model().objects.get(email="newcomer@example.org")
    assert not EmailAddress.objects.get(user=user).verified

    # Mandatory verification: logging in before confirming only re-sends the link.
    client.logout()
    client.post("/accounts/login/", {"login": "newcomer@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    client.post(_confirmation_link())
    assert EmailAddress.objects.get(user=user).verified
    response = client.post("/accounts/login/", {"login": "newcomer@example.org", "password": PASSWORD}, follow=True)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert "newcomer@example.org" in response.content.decode()


@pytest.mark.django_db
def test_a_new_account_is_pending_until_a_curator_approves_it(client):
    _sign_up(client)
    user = get_user_model().objects.get(email="newcomer@example.org")
    assert role_of(user) == Role.PENDING
    assert not user.profile.is_approved
    client.post(_confirmation_link())
    client.post("/accounts/login/", {"login": "newcomer@example.org", "password": PASSWORD})
    page = client.get("/experts/me/").content.decode()
    assert "pending" in page


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client, expert):
    client.post("/accounts/password/reset/", {"email": expert.email})
    assert mail.outbox[-1].to == [expert.email]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"password1": "an-entirely-new-one-77", "password2": "an-entirely-new-one-77"})
    expert.refresh_from_db()
    assert expert.check_password("an-entirely-new-one-77")


@pytest.mark.django_db
def test_adding_an_email_address_sends_a_verification(client, expert):
    client.force_login(expert, backend="django.contrib.auth.backends.ModelBackend")
    client.post("/accounts/email/", {"action_add": "", "email": "second@example.org"})
    assert EmailAddress.objects.filter(user=expert, email="second@example.org", verified=False).exists()
    assert mail.outbox[-1].to == ["second@example.org"]


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_out(client, settings):
    user = make_user("target@example.org", role="expert", password=PASSWORD)
    statuses = [
        client.post("/accounts/login/", {"login": "target@example.org", "password": "wrong-guess"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # Ordinary form errors until the limit; the attempt that reaches it is locked out.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # Now even the right password is refused, with axes' lockout page saying why
    # (the one lockout policy: allauth's per-IP login limits are off).
    response = client.post("/accounts/login/", {"login": "target@example.org", "password": PASSWORD})
    assert response.status_code == 429 and "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="target@example.org").failures_since_start >= settings.AXES_FAILURE_LIMIT
    # The admin's login form is guarded by the same counter.
    response = client.post("/admin/login/", {"username": "TARGET@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert user.pk  # the account itself is untouched


@pytest.mark.django_db
def test_failures_below_the_limit_do_not_lock_and_success_resets(client, settings):
    make_user("careful@example.org", role="expert", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"login": "careful@example.org", "password": "wrong-guess"})
    client.post("/accounts/login/", {"login": "careful@example.org", "password": PASSWORD})
    assert "_auth_user_id" in client.session
