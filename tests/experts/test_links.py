"""Experts linked to the catalogue: claimed by the expert, confirmed by a curator, shown for public profiles."""

import pytest
from django.core import mail

from experts.models import CatalogueLink
from tests.conftest import make_user
from tests.experts.conftest import make_profile
from trials.models import CurationStatus, Product, Trial

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(db):
    product = Product.objects.create(name="LINK-ATMP", curation_status=CurationStatus.PUBLISHED)
    Trial.objects.create(product=product, column_index=0, title="Link trial one")
    return product


def _client_for(client, profile):
    client.force_login(profile.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_claim_confirm_and_show_on_profile_and_product_page(
    client, client_for, product, django_capture_on_commit_callbacks
):
    profile = make_profile("pi@example.org", display_name="Paula Investigator")
    trial = product.trials.get()
    response = _client_for(client, profile).post(
        f"/experts/claims/{product.slug}/", {"role": "principal_investigator", "trial": trial.pk}
    )
    assert response.status_code == 302
    link = CatalogueLink.objects.get()
    assert link.trial == trial and not link.is_confirmed

    anonymous = client_for("anonymous")
    assert "Paula Investigator" not in anonymous.get(product.get_absolute_url()).content.decode()
    assert "LINK-ATMP" not in anonymous.get(profile.get_absolute_url()).content.decode()
    assert "awaiting a curator" in client.get(profile.get_absolute_url()).content.decode()  # the owner sees it

    curator = client_for("curator")
    with django_capture_on_commit_callbacks(execute=True):
        curator.post(
            "/admin/experts/cataloguelink/",
            {"action": "confirm_links", "_selected_action": [link.pk]},
        )
    link.refresh_from_db()
    assert link.is_confirmed
    assert "confirmed your role as principal investigator" in mail.outbox[-1].body
    product_page = anonymous.get(product.get_absolute_url()).content.decode()
    assert "Paula Investigator" in product_page and "principal investigator" in product_page
    assert "LINK-ATMP" in anonymous.get(profile.get_absolute_url()).content.decode()


def test_confirmed_links_of_profiles_not_listed_publicly_stay_off_the_product_page(client, product):
    profile = make_profile("quiet@example.org", display_name="Quentin Quiet", is_public=False)
    CatalogueLink.objects.create(profile=profile, product=product, role="advisor", confirmed_at="2026-01-01T00:00:00Z")
    assert "Quentin Quiet" not in client.get(product.get_absolute_url()).content.decode()


def test_a_trial_of_another_product_cannot_be_claimed(client, product):
    other = Product.objects.create(name="OTHER-ATMP", curation_status=CurationStatus.PUBLISHED)
    foreign = Trial.objects.create(product=other, column_index=0, title="Foreign trial")
    profile = make_profile("x@example.org")
    response = _client_for(client, profile).post(
        f"/experts/claims/{product.slug}/", {"role": "advisor", "trial": foreign.pk}
    )
    assert response.status_code == 200 and not CatalogueLink.objects.exists()


def test_the_expert_withdraws_a_claim_and_nobody_else_can(client, client_for, product):
    profile = make_profile("mine@example.org")
    link = CatalogueLink.objects.create(profile=profile, product=product, role="developer")
    intruder = make_user("intruder@example.org", role="expert")
    client.force_login(intruder, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(f"/experts/claims/{link.pk}/withdraw/").status_code == 404
    _client_for(client, profile).post(f"/experts/claims/{link.pk}/withdraw/")
    assert not CatalogueLink.objects.exists()


def test_confirmed_facility_contacts_show_on_the_profile(client):
    from django.utils import timezone

    from facilities.contacts import FacilityContact
    from tests.facilities.helpers import make_facility

    profile = make_profile("qa@example.org", display_name="Quinn QA")
    confirmed = make_facility("Confirmed GMP Unit")
    claimed = make_facility("Claimed GMP Unit", city="Paris")
    FacilityContact.objects.create(facility=confirmed, user=profile.user, role="quality assurance",
                                   confirmed_at=timezone.now())  # fmt: skip
    FacilityContact.objects.create(facility=claimed, user=profile.user, role="production")
    page = client.get(profile.get_absolute_url()).content.decode()
    assert "Confirmed GMP Unit" in page and "quality assurance" in page
    assert "Claimed GMP Unit" not in page
