import pytest

from trials.models import Product, Trial
from trials.search import clean_query, product_search, trial_search

from .factories import TrialIdentifierFactory

pytestmark = pytest.mark.django_db


def titles(query):
    return {t.title for t in trial_search(Trial.objects.public(), query)}


def test_words_match_across_title_product_disease_and_sponsor(catalogue):
    assert titles("leukaemia") == {catalogue["car1"].title}
    assert titles("haemophilia") == {catalogue["gene1"].title}
    assert titles("Fictional Gene Corp") == {catalogue["gene1"].title}
    assert titles("CAR-T leukaemia") == {catalogue["car1"].title}
    assert titles("nothing-like-this") == set()


def test_unpublished_records_are_never_found(catalogue):
    assert "Secret leukaemia study" not in titles("secret leukaemia")


def test_registry_ids_match_exactly(catalogue):
    TrialIdentifierFactory(trial=catalogue["gene1"], registry="eudract", value="2019-001234-56")
    assert titles("2019-001234-56") == {catalogue["gene1"].title}
    assert titles("NCT01234567") == {catalogue["car1"].title}
    found = product_search(Product.objects.public(), "2019-001234-56")
    assert [p.name for p in found] == ["Beta AAV"]


def test_products_are_found_by_their_trials(catalogue):
    assert {p.name for p in product_search(Product.objects.public(), "bleeding")} == {"Beta AAV"}
    assert {p.name for p in product_search(Product.objects.public(), "cartilage")} == {"Gamma cartilage"}


def test_query_text_is_bounded():
    assert len(clean_query("x" * 5000)) == 200
    assert clean_query("  a \n b ") == "a b"
