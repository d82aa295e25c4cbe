"""The hub end to end in-process: post a need, see matches, contact, answer, share addresses; visibility."""

import pytest
from django.core import mail

from facilities.hub_models import Answer, Enquiry, ManufacturingNeed, NeedStatus
from tests.conftest import make_user
from tests.facilities.helpers import make_contact, make_facility, make_need, make_offer

pytestmark = pytest.mark.django_db

NEED_FORM = {
    "title": "AAV vector for an academic gene therapy",
    "product_type": "gtmp",
    "process_types": ["aav_vector"],
    "phase": "phase_1",
    "batches": "2",
    "within_months": "6",
    "services": ["viral_vector_production", "qp_certification"],
    "countries": ["DE"],
    "latitude": "48.1372",
    "longitude": "11.5756",
    "academic": "on",
    "confidentiality": "contacted",
}


@pytest.fixture
def hub(cast):
    """Two facilities with offers and a confirmed contact each; a contact user of the Paris one."""
    berlin = make_facility("Berlin Vector Unit", city="Berlin")
    paris = make_facility("Paris Vector Unit", city="Paris")
    madrid = make_facility("Madrid QC Lab", city="Madrid")
    make_offer(berlin, services=("viral_vector_production", "qp_certification"), atmp_categories="|gtmp|")
    make_offer(paris, services=("viral_vector_production",), lead_time_months=9)
    make_offer(madrid, services=("qc_release_testing",))
    contact = make_user("qa@paris.example.org", role="expert")
    make_contact(paris, contact)
    make_contact(berlin, make_user("qa@berlin.example.org", role="expert"))
    return {"berlin": berlin, "paris": paris, "madrid": madrid, "contact": contact}


def test_developer_posts_sees_ranked_matches_contacts_two_and_reads_the_answer(
    hub, client_for, cast, django_capture_on_commit_callbacks
):
    owner = client_for("owner")
    response = owner.post("/facilities/needs/new/", NEED_FORM)
    need = ManufacturingNeed.objects.get()
    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    assert need.owner == cast["owner"] and need.service_codes == ["viral_vector_production", "qp_certification"]

    page = owner.get(need.get_absolute_url()).content.decode()
    assert page.index("Berlin Vector Unit") < page.index("Paris Vector Unit")
    assert "Madrid QC Lab" not in page  # offers none of the needed services
    assert "offers vector production, QP certification" in page
    assert "lead time 9 months &gt; needed 6" in page

    with django_capture_on_commit_callbacks(execute=True):
        owner.post(f"/facilities/needs/{need.pk}/contact/", {"facility": [hub["berlin"].pk, hub["paris"].pk]})
    assert Enquiry.objects.filter(need=need).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["qa@berlin.example.org", "qa@paris.example.org"]
    assert "owner@example.org" not in "".join(m.body for m in mail.outbox)

    enquiry = Enquiry.objects.get(facility=hub["paris"])
    contact = client_for("anonymous")
    contact.force_login(hub["contact"], backend="django.contrib.auth.backends.ModelBackend")
    page = contact.get(f"/facilities/enquiries/{enquiry.pk}/").content.decode()
    assert need.title in page and "owner@example.org" not in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contact.post(
            f"/facilities/enquiries/{enquiry.pk}/",
            {"answer": "interested", "message": "We have a slot in March.", "share_email": "on"},
        )
    enquiry.refresh_from_db()
    assert (enquiry.answer, enquiry.answered_by, enquiry.facility_shares_email) == (
        Answer.INTERESTED, hub["contact"], True,
    )  # fmt: skip
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]

    page = owner.get(need.get_absolute_url()).content.decode()
    assert "We have a slot in March." in page and "qa@paris.example.org" not in page
    owner.post(f"/facilities/enquiries/{enquiry.pk}/share/", {"share": "yes"})
    assert "qa@paris.example.org" in owner.get(need.get_absolute_url()).content.decode()
    assert "owner@example.org" in contact.get(f"/facilities/enquiries/{enquiry.pk}/").content.decode()


def test_contacting_a_facility_twice_or_one_not_matched_sends_nothing_new(hub, client_for, cast):
    need = make_need(cast["owner"])
    owner = client_for("owner")
    owner.post(f"/facilities/needs/{need.pk}/contact/", {"facility": [hub["paris"].pk, hub["madrid"].pk]})
    owner.post(f"/facilities/needs/{need.pk}/contact/", {"facility": [hub["paris"].pk]})
    assert list(Enquiry.objects.values_list("facility__name", flat=True)) == ["Paris Vector Unit"]


def test_enquiry_to_a_facility_without_confirmed_contact_says_so(client_for, cast, django_capture_on_commit_callbacks):
    lonely = make_facility("Lyon Vector Unit", city="Lyon")
    make_offer(lonely)
    need = make_need(cast["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        client_for("owner").post(f"/facilities/needs/{need.pk}/contact/", {"facility": [lonely.pk]})
    assert Enquiry.objects.get().notify_error == "The facility has no confirmed contact yet."


def test_visibility_of_needs_per_role(hub, cast, client_for):
    private = make_need(cast["owner"], title="Private need", confidentiality="contacted")
    shared = make_need(cast["owner"], title="Shared need", confidentiality="experts")
    hidden = make_need(cast["owner"], title="Hidden need", confidentiality="experts", status=NeedStatus.HIDDEN)
    Enquiry.objects.create(need=private, facility=hub["paris"], score=50)
    hidden_enquiry = Enquiry.objects.create(need=hidden, facility=hub["paris"], score=50)
    contact = client_for("anonymous")
    contact.force_login(hub["contact"], backend="django.contrib.auth.backends.ModelBackend")
    pending_contact = make_user("pending-qa@paris.example.org", role="pending")
    make_contact(hub["paris"], pending_contact)
    unconfirmed = make_user("claim@paris.example.org", role="expert")
    make_contact(hub["paris"], unconfirmed, confirmed=False)

    def status(client, need):
        return client.get(need.get_absolute_url()).status_code

    clients = {role: client_for(role) for role in ("anonymous", "pending", "expert", "owner", "curator")}
    clients["contact"] = contact
    for user, name in ((pending_contact, "pending contact"), (unconfirmed, "unconfirmed contact")):
        clients[name] = client_for("anonymous")
        clients[name].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    expected = {
        #                       private, shared, hidden
        "anonymous": (302, 302, 302),
        "pending": (404, 404, 404),
        "expert": (404, 200, 404),
        "owner": (200, 200, 200),
        "contact": (200, 200, 404),
        "pending contact": (404, 404, 404),
        "unconfirmed contact": (404, 200, 404),
        "curator": (200, 200, 200),
    }
    got = {name: tuple(status(c, n) for n in (private, shared, hidden)) for name, c in clients.items()}
    assert got == expected
    # A hidden need stays hidden from the facility it was sent to, enquiry page included.
    assert contact.get(f"/facilities/enquiries/{hidden_enquiry.pk}/").status_code == 404
    assert clients["curator"].get(f"/facilities/enquiries/{hidden_enquiry.pk}/").status_code == 200
    # The public overview counts open needs without naming any.
    page = clients["anonymous"].get("/facilities/hub/").content.decode()
    assert "2 open needs" in page and "Private need" not in page and "Shared need" not in page


def test_only_the_owner_sees_matches_and_contacts(hub, cast, client_for):
    need = make_need(cast["owner"], confidentiality="experts")
    assert "Matching facilities" in client_for("owner").get(need.get_absolute_url()).content.decode()
    assert "Matching facilities" not in client_for("expert").get(need.get_absolute_url()).content.decode()
    response = client_for("expert").post(f"/facilities/needs/{need.pk}/contact/", {"facility": [hub["paris"].pk]})
    assert response.status_code == 403 and not Enquiry.objects.exists()


def test_curator_hides_a_need_and_the_owner_closes_one(cast, client_for):
    need = make_need(cast["owner"], confidentiality="experts")
    client_for("curator").post(f"/facilities/needs/{need.pk}/moderate/", {"action": "hide", "note": "Advertising."})
    need.refresh_from_db()
    assert (need.status, need.moderation_note) == (NeedStatus.HIDDEN, "Advertising.")
    assert client_for("expert").get(need.get_absolute_url()).status_code == 404
    assert "Advertising." in client_for("owner").get(need.get_absolute_url()).content.decode()
    other = make_need(cast["owner"])
    client_for("owner").post(f"/facilities/needs/{other.pk}/close/")
    other.refresh_from_db()
    assert other.status == NeedStatus.CLOSED


def test_confirmed_contact_keeps_the_offer_and_saving_confirms_it(hub, client_for, cast):
    berlin = hub["berlin"]
    berlin.offer.confirmed_on = "2020-01-01"
    berlin.offer.save()
    assert (
        "Stale: this offer was last confirmed"
        in client_for("anonymous").get(berlin.get_absolute_url()).content.decode()
    )
    assert client_for("expert").get(f"/facilities/{berlin.slug}/offer/").status_code == 403
    make_contact(berlin, cast["expert"])
    response = client_for("expert").post(
        f"/facilities/{berlin.slug}/offer/",
        {
            "services": ["gmp_manufacturing"],
            "atmp_categories": ["car_t"],
            "lead_time_months": "5",
            "takes_academic": "on",
        },
    )
    assert response.status_code == 302
    berlin.offer.refresh_from_db()
    assert berlin.offer.service_codes == ["gmp_manufacturing"] and not berlin.offer.is_stale
    assert berlin.offer.updated_by == cast["expert"]


def test_the_owner_edits_an_open_need_and_the_matches_follow(hub, client_for, cast):
    need = make_need(cast["owner"])
    form = {**NEED_FORM, "services": ["qc_release_testing"], "countries": [], "process_types": []}
    response = client_for("owner").post(f"/facilities/needs/{need.pk}/edit/", form)
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.service_codes == ["qc_release_testing"] and need.owner == cast["owner"]
    page = client_for("owner").get(need.get_absolute_url()).content.decode()
    assert "Madrid QC Lab" in page and "Paris Vector Unit" not in page
    need.status = NeedStatus.CLOSED
    need.save()
    assert client_for("owner").get(f"/facilities/needs/{need.pk}/edit/").status_code == 403


def test_a_point_needs_both_coordinates(client_for):
    form = {**NEED_FORM, "longitude": ""}
    response = client_for("owner").post("/facilities/needs/new/", form)
    assert response.status_code == 200 and not ManufacturingNeed.objects.exists()
    assert "Give both latitude and longitude, or neither." in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("latitude", "91", "Latitude is between -90 (South Pole) and 90 (North Pole)."),
        ("longitude", "-181", "Longitude is between -180 and 180 (east positive)."),
        ("latitude", "48,137", "Enter a number."),
    ],
)
def test_coordinates_out_of_range_are_refused_in_words(client_for, field, value, message):
    response = client_for("owner").post("/facilities/needs/new/", {**NEED_FORM, field: value})
    assert response.status_code == 200 and not ManufacturingNeed.objects.exists()
    assert message in response.content.decode()


def test_the_need_form_explains_the_coordinates(client_for):
    page = client_for("owner").get("/facilities/needs/new/").content.decode()
    assert "north positive, e.g. 48.137 for Munich" in page
    assert "east positive (west negative)" in page
