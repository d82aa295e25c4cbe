"""Facility contacts: an expert claims, a curator confirms; only confirmed contacts count."""

import pytest
from django.core import mail

from facilities.contacts import FacilityContact, can_keep_offer
from tests.facilities.helpers import make_facility

pytestmark = pytest.mark.django_db


def test_expert_claims_from_the_facility_page_and_a_curator_confirms(
    client_for, cast, django_capture_on_commit_callbacks
):
    facility = make_facility("Berlin Cell Unit", city="Berlin")
    expert = client_for("expert")
    response = expert.post(f"/facilities/{facility.slug}/claim/", {"role": "quality assurance"})
    assert response.status_code == 302
    contact = FacilityContact.objects.get()
    assert (contact.user, contact.role, contact.is_confirmed) == (cast["expert"], "quality assurance", False)
    assert not FacilityContact.objects.confirmed().exists()
    assert not can_keep_offer(cast["expert"], facility)
    assert "awaits a curator" in expert.get(facility.get_absolute_url()).content.decode()

    curator = client_for("curator")
    assert "quality assurance" in curator.get("/facilities/contacts/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        curator.post(f"/facilities/contacts/{contact.pk}/", {"decision": "confirm"})
    contact.refresh_from_db()
    assert contact.confirmed_by == cast["curator"] and contact.confirmed_at is not None
    assert list(cast["expert"].facility_contacts.confirmed()) == [contact]
    assert can_keep_offer(cast["expert"], facility)
    assert [m.to for m in mail.outbox] == [["expert@example.org"]]
    assert "1 confirmed contact keeps" in client_for("anonymous").get(facility.get_absolute_url()).content.decode()


def test_a_second_claim_and_a_second_confirmation_change_nothing(client_for, cast, django_capture_on_commit_callbacks):
    facility = make_facility("Berlin Cell Unit", city="Berlin")
    client_for("expert").post(f"/facilities/{facility.slug}/claim/", {"role": "QA"})
    client_for("expert").post(f"/facilities/{facility.slug}/claim/", {"role": "QP"})
    contact = FacilityContact.objects.get()
    assert contact.role == "QA"
    with django_capture_on_commit_callbacks(execute=True):
        client_for("curator").post(f"/facilities/contacts/{contact.pk}/", {"decision": "confirm"})
        first = FacilityContact.objects.get().confirmed_at
        client_for("admin").post(f"/facilities/contacts/{contact.pk}/", {"decision": "confirm"})
    contact.refresh_from_db()
    assert contact.confirmed_at == first and contact.confirmed_by == cast["curator"]
    assert len(mail.outbox) == 1


def test_an_empty_role_is_refused(client_for):
    facility = make_facility("Berlin Cell Unit", city="Berlin")
    client_for("expert").post(f"/facilities/{facility.slug}/claim/", {"role": "  "})
    assert not FacilityContact.objects.exists()


def test_declining_removes_the_claim(client_for, cast):
    facility = make_facility("Berlin Cell Unit", city="Berlin")
    contact = FacilityContact.objects.create(facility=facility, user=cast["expert"], role="QA")
    client_for("curator").post(f"/facilities/contacts/{contact.pk}/", {"decision": "remove"})
    assert not FacilityContact.objects.exists()


def test_admin_action_confirms_pending_contacts(client_for, cast):
    facility = make_facility("Berlin Cell Unit", city="Berlin")
    contact = FacilityContact.objects.create(facility=facility, user=cast["expert"], role="QA")
    response = client_for("curator").post(
        "/admin/facilities/facilitycontact/", {"action": "confirm", "_selected_action": [contact.pk]}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.is_confirmed and contact.confirmed_by == cast["curator"]


def test_a_pending_user_cannot_keep_an_offer_even_if_confirmed(cast):
    facility = make_facility("Berlin Cell Unit", city="Berlin")
    FacilityContact.objects.create(facility=facility, user=cast["pending"], role="QA", confirmed_at="2026-01-01T00:00Z")
    assert not can_keep_offer(cast["pending"], facility)
    assert can_keep_offer(cast["curator"], facility)
