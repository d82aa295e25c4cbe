import pytest

from facilities.models import Authorisation, Facility, FacilityCorrection, ManufacturingSiteLink
from platform_site.demo import load_demo_content

pytestmark = pytest.mark.django_db


def test_demo_loads_labelled_facilities_and_a_second_run_changes_nothing():
    load_demo_content()
    counts = (
        Facility.objects.count(),
        Facility.history.count(),
        Authorisation.objects.count(),
        ManufacturingSiteLink.objects.count(),
        FacilityCorrection.objects.count(),
    )
    assert counts[0] >= 30
    assert not Facility.objects.filter(is_demo=False).exists()
    assert all("(demo)" in name for name in Facility.objects.values_list("institution", flat=True))
    assert ManufacturingSiteLink.objects.exists() and FacilityCorrection.objects.pending().count() == 1
    load_demo_content()
    assert counts == (
        Facility.objects.count(),
        Facility.history.count(),
        Authorisation.objects.count(),
        ManufacturingSiteLink.objects.count(),
        FacilityCorrection.objects.count(),
    )


def test_demo_hub_has_offers_in_nine_countries_two_open_needs_and_matches():
    from facilities import hub_queries
    from facilities.hub_models import ManufacturingNeed, ServiceOffer

    load_demo_content()
    offers = ServiceOffer.objects.all()
    assert len(set(offers.values_list("facility__country", flat=True))) >= 9
    assert all(o.facility.is_demo for o in offers) and any(o.is_stale for o in offers)
    needs = ManufacturingNeed.objects.open()
    assert needs.count() == 2 and all(n.is_demo and n.title.startswith("Demo:") for n in needs)
    for need in needs:
        assert hub_queries.ranked_facilities(need), need.title
    counts = (ServiceOffer.objects.count(), ManufacturingNeed.objects.count())
    load_demo_content()
    assert counts == (ServiceOffer.objects.count(), ManufacturingNeed.objects.count())
