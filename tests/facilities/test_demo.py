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
