"""Demo profiles: fictional, labelled, every stakeholder type in several countries; loading twice changes nothing."""

import pytest
from django.core.management import call_command

from experts.models import CatalogueLink, ExpertProfile, StakeholderType

pytestmark = pytest.mark.django_db


def test_demo_profiles_cover_every_stakeholder_type_and_load_idempotently():
    call_command("load_demo")
    demo = ExpertProfile.objects.filter(is_demo=True)
    first = (demo.count(), CatalogueLink.objects.count())
    call_command("load_demo")
    assert (demo.count(), CatalogueLink.objects.count()) == first
    assert set(demo.values_list("stakeholder_type", flat=True)) == set(StakeholderType.values)
    assert demo.values("country").distinct().count() >= 8
    assert all(p.display_name.endswith("(demo)") and p.expertise_areas.exists() for p in demo)
    assert all(p.user.email.endswith("@demo.atmp-platform.invalid") for p in demo)
    assert CatalogueLink.objects.confirmed().filter(profile__is_demo=True).count() == 4
    assert demo.approved().count() == demo.count() and demo.public().count() < demo.count()
