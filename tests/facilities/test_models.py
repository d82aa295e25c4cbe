from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from facilities.models import RESERVED_SLUGS, Facility, bars_from_codes
from tests.facilities.helpers import make_facility

pytestmark = pytest.mark.django_db


def test_database_refuses_a_latitude_out_of_range_even_without_validation():
    facility = make_facility()
    with pytest.raises(IntegrityError), transaction.atomic():
        Facility.objects.filter(pk=facility.pk).update(latitude=Decimal("91"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Facility.objects.filter(pk=facility.pk).update(longitude=Decimal("-180.5"))


def test_validation_names_each_bad_field():
    facility = make_facility()
    facility.latitude = Decimal("-90.5")
    facility.cleanroom_grades = "DA"
    facility.atmp_categories = "|gtmp|unicorn|"
    with pytest.raises(ValidationError) as caught:
        facility.full_clean()
    assert {"latitude", "cleanroom_grades", "atmp_categories"} <= set(caught.value.message_dict)


def test_codes_are_stored_in_vocabulary_order_and_unknown_codes_refused():
    from facilities.models import AtmpCategory

    assert bars_from_codes(["car_t", "gtmp", "gtmp"], AtmpCategory) == "|gtmp|car_t|"
    assert bars_from_codes([], AtmpCategory) == ""
    with pytest.raises(ValueError, match="unicorn"):
        bars_from_codes(["unicorn"], AtmpCategory)


def test_slugs_are_unique_and_never_shadow_a_map_page():
    first = make_facility("Unit", city="Berlin")
    second = make_facility("Unit", city="Berlin")
    assert first.slug == "unit-berlin" and second.slug == "unit-berlin-2"
    shadow = Facility(name="Countries", city="", institution="x", institution_type="cdmo", country="DE")
    shadow.latitude, shadow.longitude = Decimal("1"), Decimal("1")
    shadow.save()
    assert shadow.slug not in RESERVED_SLUGS
    shadow.slug = "countries"
    with pytest.raises(ValidationError) as caught:
        shadow.full_clean()
    assert "slug" in caught.value.message_dict


def test_every_change_is_kept_in_the_history():
    facility = make_facility(cleanroom_count=2)
    facility.cleanroom_count = 4
    facility._change_reason = "New wing"
    facility.save()
    history = list(facility.history.order_by("history_date"))
    assert [h.cleanroom_count for h in history] == [2, 4]
    assert history[-1].history_change_reason == "New wing"


def test_queryset_filters_capabilities_authorisations_and_bbox():
    berlin = make_facility(city="Berlin", atmp_categories="|gtmp|car_t|", authorisations=["mia_imp"])
    paris = make_facility(city="Paris", activities="|viral_vector_production|")
    draft = make_facility(city="Oslo", status="draft")
    assert set(Facility.objects.making("car_t")) == {berlin}
    assert set(Facility.objects.doing("viral_vector_production")) == {paris}
    assert set(Facility.objects.authorised_for("mia_imp")) == {berlin}
    assert set(Facility.objects.in_bbox(Decimal("0"), Decimal("45"), Decimal("5"), Decimal("50"))) == {paris}
    assert draft not in Facility.objects.public()
