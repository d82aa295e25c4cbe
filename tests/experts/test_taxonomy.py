"""The expertise taxonomy and the multi-valued profile fields other sections filter on."""

import pytest

from experts.models import Availability, ExpertiseArea, ExpertProfile
from tests.conftest import make_user
from trials.models import AtmpType

SEEDED = [
    "Regulatory strategy", "Scientific advice and national procedures", "Hospital exemption",
    "CMC and GMP manufacturing", "Vector production", "Cell processing", "QC and release testing",
    "Non-clinical and non-animal methods", "Clinical trial design", "Cross-border trials", "Rare diseases",
    "Oncology", "CAR-T", "Gene therapy", "Tissue engineering", "HTA and reimbursement", "Real-world evidence",
    "Health economics", "Patient engagement", "Ethics",
]  # fmt: skip


@pytest.mark.django_db
def test_the_data_migration_seeds_exactly_the_agreed_list_in_order():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("experts.migrations.0004_seed_expertise_areas")
    ExpertiseArea.objects.all().delete()
    migration.seed(apps, None)
    migration.seed(apps, None)  # running it again changes nothing
    assert list(ExpertiseArea.objects.values_list("name", flat=True)) == SEEDED


@pytest.mark.django_db
def test_choice_lists_round_trip_and_filter():
    gene = make_user("gene@example.org", role="expert").profile
    gene.atmp_types = [AtmpType.GTMP_EX_VIVO, AtmpType.GTMP]
    gene.availability = [Availability.MENTORING]
    gene.save()
    cells = make_user("cells@example.org", role="expert").profile
    cells.atmp_types = [AtmpType.SCTMP]
    cells.save()

    gene.refresh_from_db()
    assert gene.atmp_types == [AtmpType.GTMP, AtmpType.GTMP_EX_VIVO]  # one canonical order
    assert gene.availability == [Availability.MENTORING]
    assert list(ExpertProfile.objects.with_atmp_type(AtmpType.GTMP)) == [gene]
    # "gtmp" must not match inside "gtmp_ex_vivo" nor the other way round.
    gene.atmp_types = [AtmpType.GTMP_EX_VIVO]
    gene.save()
    assert not ExpertProfile.objects.with_atmp_type(AtmpType.GTMP).exists()
    assert list(ExpertProfile.objects.offering(Availability.MENTORING)) == [gene]
    assert cells.availability == [] and not ExpertProfile.objects.offering(Availability.SPEAKING).exists()


@pytest.mark.django_db
def test_questions_are_routed_only_to_approved_experts_who_accept_them():
    area = ExpertiseArea.objects.get(slug="hospital-exemption")
    willing = make_user("willing@example.org", role="expert").profile
    willing.accepts_questions = True
    willing.save()
    willing.expertise_areas.add(area)
    unwilling = make_user("busy@example.org", role="expert").profile
    unwilling.expertise_areas.add(area)
    pending = make_user("new@example.org", role="pending").profile
    pending.accepts_questions = True
    pending.save()
    pending.expertise_areas.add(area)

    assert list(ExpertProfile.objects.answering_questions_on(area)) == [willing]


@pytest.mark.django_db
def test_the_profile_form_rejects_an_unknown_atmp_type(client):
    user = make_user("form@example.org", role="expert")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/experts/me/", {"display_name": "Dr Form", "atmp_types": ["gtmp", "potion"]})
    assert response.status_code == 200
    assert "potion" in response.context["form"].errors["atmp_types"][0]
    user.profile.refresh_from_db()
    assert user.profile.atmp_types == []
