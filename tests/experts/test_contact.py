"""Writing to an expert: e-mailed by a task, the recipient's address never revealed, limits, reports."""

import pytest
from django.core import mail

from experts.models import ContactMessage
from tests.conftest import make_user
from tests.experts.conftest import make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient(db):
    return make_profile("recipient@example.org", display_name="Rita Recipient")


@pytest.fixture
def sender_client(client):
    user = make_user("sender@example.org", role="expert", first_name="Sam", last_name="Sender")
    user.profile.display_name = "Sam Sender"
    user.profile.save()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.user = user
    return client


def _send(client, recipient, capture, **extra):
    data = {"subject": "Your CAR-T process", "body": "Could we talk about release testing?", **extra}
    with capture(execute=True):
        return client.post(f"/experts/{recipient.pk}/contact/", data)


def test_a_message_is_stored_and_emailed_without_the_senders_address_unless_shared(
    sender_client, recipient, django_capture_on_commit_callbacks
):
    response = _send(sender_client, recipient, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.status == ContactMessage.Status.SENT and message.sent_at
    email = mail.outbox[-1]
    assert email.to == ["recipient@example.org"]
    assert email.reply_to == []
    assert "sender@example.org" not in email.body + email.subject
    assert "Sam Sender" in email.subject and "release testing" in email.body
    assert f"/experts/messages/{message.public_id}/report/" in email.body

    _send(sender_client, recipient, django_capture_on_commit_callbacks, share_email="on")
    assert mail.outbox[-1].reply_to == ["sender@example.org"]


def test_the_sender_never_sees_the_recipients_address(sender_client, recipient, django_capture_on_commit_callbacks):
    pages = [
        sender_client.get(f"/experts/{recipient.pk}/contact/"),
        _send(sender_client, recipient, django_capture_on_commit_callbacks),
        sender_client.get("/experts/messages/"),
        sender_client.get(recipient.get_absolute_url()),
        sender_client.get("/experts/me/data.json"),
    ]
    for response in pages:
        assert "recipient@example.org" not in response.content.decode()
    assert "Sent" in pages[2].content.decode()


def test_rate_limit_per_sender(sender_client, recipient, settings, django_capture_on_commit_callbacks):
    settings.EXPERTS_CONTACT_PER_SENDER_PER_HOUR = 2
    other = make_profile("other@example.org", display_name="Otto Other")
    assert _send(sender_client, recipient, django_capture_on_commit_callbacks).status_code == 302
    assert _send(sender_client, other, django_capture_on_commit_callbacks).status_code == 302
    refused = _send(sender_client, other, django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert "most messages allowed in one hour" in refused.content.decode()
    assert ContactMessage.objects.count() == 2 and len(mail.outbox) == 2


def test_rate_limit_per_recipient(client, recipient, settings, django_capture_on_commit_callbacks):
    settings.EXPERTS_CONTACT_PER_RECIPIENT_PER_DAY = 2
    for i in range(3):
        user = make_user(f"fan{i}@example.org", role="expert")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        response = _send(client, recipient, django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert "received many messages today" in response.content.decode()
    assert ContactMessage.objects.filter(recipient=recipient).count() == 2


def test_an_expert_can_switch_contact_off(sender_client, recipient, django_capture_on_commit_callbacks):
    recipient.contact_enabled = False
    recipient.save()
    assert "Write to" not in sender_client.get(recipient.get_absolute_url()).content.decode()
    assert _send(sender_client, recipient, django_capture_on_commit_callbacks).status_code == 403
    assert not ContactMessage.objects.exists()


def test_a_subject_on_two_lines_is_refused(sender_client, recipient, django_capture_on_commit_callbacks):
    response = _send(sender_client, recipient, django_capture_on_commit_callbacks, subject="Hi\r\nBcc: x@y.z")
    assert response.status_code == 200 and not ContactMessage.objects.exists()


def test_the_recipient_reports_a_message_and_curators_find_it(
    sender_client, recipient, client_for, django_capture_on_commit_callbacks
):
    _send(sender_client, recipient, django_capture_on_commit_callbacks)
    message = ContactMessage.objects.get()
    from django.test import Client

    as_recipient = Client()
    as_recipient.force_login(recipient.user, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/experts/messages/{message.public_id}/report/"
    assert sender_client.get(url).status_code == 404  # only the recipient reports
    response = as_recipient.post(url, {"reason": "Unsolicited advertising."})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.reported_at and message.report_reason == "Unsolicited advertising."
    admin_page = client_for("curator").get("/admin/experts/contactmessage/?report=open")
    assert list(admin_page.context["cl"].result_list) == [message]


def test_a_failed_delivery_is_marked_on_the_message(sender_client, recipient, settings, monkeypatch):
    from django.core.mail.message import EmailMessage

    from experts.tasks import deliver_contact_message

    message = ContactMessage.objects.create(sender=sender_client.user, recipient=recipient, subject="S", body="B")

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with pytest.raises(ConnectionRefusedError):
        deliver_contact_message.run(message.pk)
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.FAILED and "SMTP server down" in message.error
    monkeypatch.undo()
    assert deliver_contact_message.run(message.pk) == "sent"
    assert deliver_contact_message.run(message.pk) == "skipped"  # delivered twice, sent once
    assert len(mail.outbox) == 1
