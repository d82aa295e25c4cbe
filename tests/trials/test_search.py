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


def test_search_covers_every_text_of_the_sheet_with_a_search_in_choice(client_for):
    from trials.models import SheetCell

    from .factories import ProductFactory, TrialFactory

    product = ProductFactory(name="Scope product", animal_studies="zebrafish xenografts (fictional)")
    TrialFactory(
        product=product, title="Scope study", funding="Fictional Horizon grant", lead_study_centre="Alpha clinic"
    )
    SheetCell.objects.create(
        product=product, kind="note", section="wp1", label="Animal studies", column=3, value="alpaca"
    )
    client = client_for("anonymous")

    def found(path, **params):
        return "Scope" in client.get(path, params).content.decode()

    for path in ("/trials/", "/trials/products/"):
        assert found(path, q="zebrafish") and found(path, q="horizon") and found(path, q="alpaca")
        assert found(path, q="horizon", search_in="sponsor") and not found(path, q="horizon", search_in="names")
        assert found(path, q="alpha", search_in="centres") and found(path, q="alpaca", search_in="notes")
        assert found(path, q="zebrafish", search_in="preclinical") and not found(path, q="zebrafish", search_in="notes")
        assert not found(path, q="Mustermann"), "names of people are never searched"
    assert client.get("/api/trials/", {"q": "horizon", "search_in": "sponsor"}).json()["count"] == 1
    assert client.get("/api/trials/", {"q": "horizon", "search_in": ""}).status_code == 200
