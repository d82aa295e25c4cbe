"""The permission matrix: every facilities URL (pages, curation, API, admin) x every role."""

import pytest

from facilities.hub_models import Enquiry
from facilities.import_jobs import ImportJob
from facilities.models import FacilityContact, FacilityCorrection, FacilityStatus
from tests.facilities.helpers import make_facility, make_need, make_offer
from tests.matrix import LOGIN, check_row, public, row

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = 302  # the Django admin sends non-staff to its own login page


def _rows(cast):
    facility = make_facility("Berlin Cell Unit", city="Berlin", authorisations=["mia_imp"])
    draft = make_facility("Oslo Draft Unit", city="Oslo", status=FacilityStatus.DRAFT)
    correction = FacilityCorrection.objects.create(
        facility=facility,
        proposed_by=cast["owner"],
        changes={"city": "Potsdam"},
        previous={"city": "Berlin"},
        reason="Moved; see the hospital's web site.",
    )
    contact = FacilityContact.objects.create(facility=facility, user=cast["expert"], role="QA")
    make_offer(facility)
    private = make_need(cast["owner"], confidentiality="contacted")
    shared = make_need(cast["owner"], confidentiality="experts")
    enquiry = Enquiry.objects.create(need=private, facility=facility, score=50)
    job = ImportJob.objects.create(created_by=cast["curator"], filename="f.csv", content=b"name\n")
    slug, c = facility.slug, correction.pk
    experts_only = dict(anonymous=LOGIN, pending=403, expert=200, owner=200, curator=200, admin=200)
    curators_only = dict(anonymous=LOGIN, pending=403, expert=403, owner=403, curator=200, admin=200)
    staff_only = dict(
        anonymous=ADMIN_LOGIN, pending=ADMIN_LOGIN, expert=ADMIN_LOGIN, owner=ADMIN_LOGIN, curator=200, admin=200
    )
    return [
        # Public pages, including malformed input.
        public("/facilities/"),
        public("/facilities/?country=DE&atmp_type=gtmp&activity=qc_testing&authorisation=mia_imp&services=yes"),
        public("/facilities/?country=ZZ&in_bbox=1,2&page=x&trial_atmp_type=nope"),
        public(f"/facilities/{slug}/"),
        public(f"/facilities/{facility.pk}/", 301),
        public("/facilities/no-such-facility/", 404),
        row(f"/facilities/{draft.slug}/", 404, 404, 404, 404, 200, 200),
        public("/facilities/countries/"),
        public("/facilities/countries/?sort=bogus"),
        public("/facilities/export/?format=csv"),
        public("/facilities/export/?format=xlsx&country=DE"),
        public("/facilities/export/?format=exe"),
        # Corrections: experts propose, curators review, the proposer follows their own.
        row(f"/facilities/{slug}/correct/", **experts_only),
        row(f"/facilities/{slug}/correct/", **experts_only, method="post", data={"reason": ""}),
        row(f"/facilities/{draft.slug}/correct/", LOGIN, 403, 404, 404, 200, 200),
        row("/facilities/corrections/", **curators_only),
        row("/facilities/corrections/?status=bogus", **curators_only),
        row(f"/facilities/corrections/{c}/", LOGIN, 403, 403, 200, 200, 200),
        row(f"/facilities/corrections/{c}/", LOGIN, 403, 403, 403, 200, 200, method="post", data={"decision": "?"}),
        row("/facilities/corrections/999999/", LOGIN, 404, 404, 404, 404, 404),
        # Links from trial products to facilities: curators only.
        row("/facilities/links/", **curators_only),
        row("/facilities/links/confirm/", LOGIN, 403, 403, 403, 404, 404, method="post", data={"product": "x"}),
        row("/facilities/links/confirm/", LOGIN, 403, 403, 403, 405, 405),
        # The API: read-only for everyone, drafts for curators, malformed filters are a 400.
        public("/api/facilities/"),
        public("/api/facilities/?format=csv&country=DE"),
        public("/api/facilities/?in_bbox=0,40,20,60&format=json"),
        public("/api/facilities/?in_bbox=oops", 400),
        public("/api/facilities/?in_bbox=oops&format=csv", 400),
        public(f"/api/facilities/{slug}/"),
        row(f"/api/facilities/{draft.slug}/", 404, 404, 404, 404, 200, 200),
        row("/api/facilities/", 405, 405, 405, 405, 405, 405, method="post", data={"name": "x"}),
        # Curation in the admin.
        row("/admin/facilities/facility/", **staff_only),
        row(f"/admin/facilities/facility/{facility.pk}/change/", **staff_only),
        row(f"/admin/facilities/facility/{facility.pk}/history/", **staff_only),
        row("/admin/facilities/importjob/", **staff_only),
        row("/admin/facilities/manufacturingneed/", **staff_only),
        row("/admin/facilities/serviceoffer/", **staff_only),
        row("/admin/facilities/enquiry/", **staff_only),
        # Imports run as jobs; the template is public (no data in it).
        row("/facilities/import/", **curators_only),
        row("/facilities/import/", **curators_only, method="post", data={"table": "facilities"}),
        row(f"/facilities/import/jobs/{job.pk}/", **curators_only),
        row("/facilities/import/jobs/999999/", LOGIN, 403, 403, 403, 404, 404),
        public("/facilities/import-template/"),
        public("/facilities/import-template/?format=xlsx"),
        public("/facilities/import-template/?format=bogus"),
        row("/admin/facilities/authorisation/", **staff_only),
        row("/admin/facilities/facilitycorrection/", **staff_only),
        row("/admin/facilities/manufacturingsitelink/", **staff_only),
        # Facility contacts: experts claim on the facility page, curators confirm.
        row(f"/facilities/{slug}/claim/", LOGIN, 403, 302, 302, 302, 302, method="post", data={"role": "QA"}),
        row(f"/facilities/{slug}/claim/", LOGIN, 403, 405, 405, 405, 405),
        row("/facilities/contacts/", **curators_only),
        row(
            f"/facilities/contacts/{contact.pk}/", LOGIN, 403, 403, 403, 302, 302, method="post", data={"decision": "?"}
        ),
        row("/facilities/contacts/999999/", LOGIN, 403, 403, 403, 404, 404, method="post"),
        row("/admin/facilities/facilitycontact/", **staff_only),
        # The GMP coordination hub.
        public("/facilities/hub/"),
        row("/facilities/hub/activity/", **curators_only),
        row("/facilities/needs/", **experts_only),
        row("/facilities/needs/new/", **experts_only),
        row("/facilities/needs/new/", **experts_only, method="post", data={"title": ""}),
        row(f"/facilities/needs/{private.pk}/", LOGIN, 404, 404, 200, 200, 200),
        row(f"/facilities/needs/{shared.pk}/", LOGIN, 404, 200, 200, 200, 200),
        row("/facilities/needs/999999/", LOGIN, 404, 404, 404, 404, 404),
        row(f"/facilities/needs/{private.pk}/contact/", LOGIN, 404, 404, 302, 403, 403, method="post"),
        row(f"/facilities/needs/{shared.pk}/contact/", LOGIN, 404, 403, 302, 403, 403, method="post"),
        row(f"/facilities/needs/{private.pk}/contact/", LOGIN, 405, 405, 405, 405, 405),
        row(f"/facilities/needs/{shared.pk}/edit/", LOGIN, 404, 403, 200, 403, 403),
        row(f"/facilities/needs/{private.pk}/edit/", LOGIN, 404, 404, 200, 403, 403, method="post", data={"title": ""}),
        row(f"/facilities/needs/{shared.pk}/close/", LOGIN, 404, 403, 302, 403, 403, method="post"),
        row(
            f"/facilities/needs/{shared.pk}/moderate/",
            **{**curators_only, "curator": 302, "admin": 302},
            method="post",
            data={"action": "show"},
        ),  # fmt: skip
        row(f"/facilities/enquiries/{enquiry.pk}/", LOGIN, 403, 403, 403, 200, 200),
        row(f"/facilities/enquiries/{enquiry.pk}/", LOGIN, 403, 403, 403, 403, 403, method="post", data={"x": 1}),
        row("/facilities/enquiries/999999/", LOGIN, 404, 404, 404, 404, 404),
        row(f"/facilities/enquiries/{enquiry.pk}/share/", LOGIN, 403, 403, 302, 403, 403, method="post"),
        row(f"/facilities/{slug}/offer/", LOGIN, 403, 403, 403, 200, 200),
        row(f"/facilities/{slug}/offer/", LOGIN, 403, 403, 403, 200, 200, method="post", data={"services": "x"}),
        row(f"/facilities/{draft.slug}/offer/", LOGIN, 404, 404, 404, 200, 200),
        # The map of disparities and the capability gaps.
        public("/facilities/countries/?metric=services"),
        public("/facilities/countries/?metric=capability&capability=activity:qc_testing&sort=name"),
        public("/facilities/countries/?metric=bogus&capability=bogus"),
        public("/facilities/gaps/"),
        public("/api/facility-gaps/"),
        row("/api/facility-gaps/", 405, 405, 405, 405, 405, 405, method="post"),
    ]


def test_permission_matrix(cast, client_for):
    failures = []
    for matrix_row in _rows(cast):
        try:
            check_row(client_for, matrix_row)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)


def test_public_api_and_pages_never_show_personal_data(cast, client, client_for):
    facility = make_facility("Berlin Cell Unit", city="Berlin", contact_email="gmp-unit@example.org")
    FacilityCorrection.objects.create(
        facility=facility, proposed_by=cast["owner"], changes={"city": "Potsdam"}, reason="Moved."
    )
    for url in ("/facilities/", facility.get_absolute_url(), "/api/facilities/", "/api/facilities/?format=csv"):
        body = client.get(url).content.decode()
        assert "owner@example.org" not in body, url
    # The facility's role address is public on its own page; no proposer is ever named there.
    assert "gmp-unit@example.org" in client.get(facility.get_absolute_url()).content.decode()
