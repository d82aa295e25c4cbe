import pytest
from django.core import mail

from facilities.models import CorrectionStatus, Facility, FacilityCorrection
from facilities.services import correction_propose
from tests.facilities.helpers import make_facility

pytestmark = pytest.mark.django_db


def _form_data(facility: Facility, **changes) -> dict:
    """The correction form as the browser sends it: current values, then the expert's edits."""
    data = {
        "name": facility.name,
        "institution": facility.institution,
        "institution_type": facility.institution_type,
        "city": facility.city,
        "country": facility.country.code,
        "latitude": str(facility.latitude),
        "longitude": str(facility.longitude),
        "atmp_categories": facility.atmp_category_codes,
        "activities": facility.activity_codes,
        "reason": "The unit's annual report 2025 (https://example.org/report) says so.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_expert_proposes_only_the_changed_fields_and_the_facility_is_untouched(client_for):
    facility = make_facility(cleanroom_count=2)
    response = client_for("expert").post(
        f"/facilities/{facility.slug}/correct/", _form_data(facility, cleanroom_count="5", city="Berlin")
    )
    assert response.status_code == 302
    correction = FacilityCorrection.objects.get()
    assert correction.changes == {"cleanroom_count": "5"}
    assert correction.previous == {"cleanroom_count": "2"}
    assert correction.status == CorrectionStatus.PENDING
    facility.refresh_from_db()
    assert facility.cleanroom_count == 2


def test_a_proposal_without_changes_or_with_invalid_values_is_refused(client_for):
    facility = make_facility()
    client = client_for("expert")
    unchanged = client.post(f"/facilities/{facility.slug}/correct/", _form_data(facility))
    assert unchanged.status_code == 200 and b"Nothing was changed" in unchanged.content
    invalid = client.post(f"/facilities/{facility.slug}/correct/", _form_data(facility, latitude="123"))
    assert invalid.status_code == 200
    assert not FacilityCorrection.objects.exists()


def test_curator_accepts_the_change_is_applied_with_history_and_the_expert_is_told(
    client_for, cast, django_capture_on_commit_callbacks
):
    facility = make_facility(cleanroom_count=2)
    correction = correction_propose(
        facility=facility, proposed_by=cast["expert"], changes={"cleanroom_count": "5"}, reason="Report 2025"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("curator").post(
            f"/facilities/corrections/{correction.pk}/", {"decision": "accept", "comment": "Thanks!"}
        )
    assert response.status_code == 302
    facility.refresh_from_db()
    correction.refresh_from_db()
    assert facility.cleanroom_count == 5
    assert correction.status == CorrectionStatus.ACCEPTED and correction.reviewed_by == cast["curator"]
    latest = facility.history.latest()
    assert latest.history_user == cast["curator"] and f"#{correction.pk}" in latest.history_change_reason
    assert [m.to for m in mail.outbox] == [[cast["expert"].email]]
    assert "accepted" in mail.outbox[0].subject and "Thanks!" in mail.outbox[0].body


def test_rejecting_leaves_the_facility_and_a_second_decision_changes_nothing(client_for, cast):
    facility = make_facility(cleanroom_count=2)
    correction = correction_propose(
        facility=facility, proposed_by=cast["expert"], changes={"cleanroom_count": "9"}, reason="?"
    )
    curator = client_for("curator")
    curator.post(f"/facilities/corrections/{correction.pk}/", {"decision": "reject", "comment": "No source."})
    curator.post(f"/facilities/corrections/{correction.pk}/", {"decision": "accept"})
    facility.refresh_from_db()
    correction.refresh_from_db()
    assert facility.cleanroom_count == 2 and correction.status == CorrectionStatus.REJECTED


def test_a_proposal_that_is_no_longer_valid_is_not_applied(client_for, cast):
    facility = make_facility()
    correction = correction_propose(
        facility=facility, proposed_by=cast["expert"], changes={"latitude": "95"}, reason="typo"
    )
    response = client_for("curator").post(f"/facilities/corrections/{correction.pk}/", {"decision": "accept"})
    assert response.status_code == 302
    correction.refresh_from_db()
    facility.refresh_from_db()
    assert correction.status == CorrectionStatus.PENDING
    assert facility.latitude < 90


def test_the_proposer_may_follow_their_correction_but_other_experts_may_not(client_for, cast):
    facility = make_facility()
    correction = correction_propose(facility=facility, proposed_by=cast["owner"], changes={"city": "Bonn"}, reason="x")
    assert client_for("owner").get(correction.get_absolute_url()).status_code == 200
    assert client_for("expert").get(correction.get_absolute_url()).status_code == 403
    assert client_for("owner").post(correction.get_absolute_url(), {"decision": "accept"}).status_code == 403


def test_review_page_shows_labels_and_warns_when_the_value_changed_since(client_for, cast):
    facility = make_facility(cleanroom_count=2)
    correction = correction_propose(
        facility=facility, proposed_by=cast["expert"], changes={"cleanroom_count": "5"}, reason="x"
    )
    facility.cleanroom_count = 3
    facility.save()
    page = client_for("curator").get(correction.get_absolute_url()).content.decode()
    assert "Number of clean rooms" in page and 'title="Changed since the proposal"' in page
    listing = client_for("curator").get("/facilities/corrections/").content.decode()
    assert "Number of clean rooms" in listing
