import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trials.models import Phase

from .factories import LocationFactory, ProductFactory, TrialFactory

pytestmark = pytest.mark.django_db


def test_trial_list_filters_and_shows_facet_counts(client_for, catalogue):
    response = client_for("anonymous").get("/trials/", {"phase": "phase_1", "q": "leukaemia"})
    html = response.content.decode()
    assert response.status_code == 200
    assert catalogue["car1"].title in html
    assert catalogue["gene1"].title not in html
    assert "Secret leukaemia study" not in html
    assert 'name="phase" value="phase_1" id="f-phase-1" checked' in html
    assert 'class="badge rounded-pill text-bg-light facet-count">1<' in html


def test_lists_link_registry_ids_and_sort(client_for, catalogue):
    catalogue["car1"].identifiers.create(registry="nct", value="NCT01234567")
    html = client_for("anonymous").get("/trials/", {"sort": "-phase"}).content.decode()
    assert 'href="https://clinicaltrials.gov/study/NCT01234567"' in html
    assert html.index(catalogue["gene1"].title) < html.index(catalogue["car1"].title)
    assert 'aria-sort="descending"' in html


def test_empty_result_helps(client_for, catalogue):
    html = client_for("anonymous").get("/trials/", {"q": "zzzz-no-such-thing"}).content.decode()
    assert "No trials match these filters" in html
    assert "Clear all filters" in html


@pytest.mark.parametrize("query", ["page=999", "page=abc", "per_page=-5", "sort=nonsense", "q=" + "%" * 300,
                                   "start_year=99999", "country=" + "x" * 100, "first_in_human=perhaps"])  # fmt: skip
def test_malformed_query_strings_never_fail(client_for, catalogue, query):
    assert client_for("anonymous").get(f"/trials/?{query}").status_code == 200
    assert client_for("anonymous").get(f"/trials/products/?{query}").status_code == 200


def _queries(client, url) -> int:
    # The first request after a write patches the facet index (a few queries of its own, pinned in
    # test_query_counts.py); what must not grow with the data is the page itself, counted after it.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/trials/?q=study&phase=phase_1&country=DE", "/trials/products/?q=test&status=ongoing"]
)
def test_query_count_does_not_grow_with_data_or_page_size(client_for, url):
    client = client_for("expert")
    countries = [LocationFactory(code=c, name=c) for c in ("DE", "FR", "IT")]

    def add(n):
        for _ in range(n):
            product = ProductFactory()
            for phase in (Phase.PHASE_1, Phase.PHASE_2):
                TrialFactory(product=product, phase=phase, countries=countries, title="study")

    add(3)
    small = _queries(client, url + "&per_page=10")
    add(30)
    large = _queries(client, url + "&per_page=100")
    assert small == large
    assert large <= 20


def test_product_page_has_four_tabs_completeness_and_hides_personal_data(client_for, catalogue):
    url = catalogue["car"].get_absolute_url()
    public_html = client_for("anonymous").get(url).content.decode()
    for tab in ("Cover sheet", "Regulatory information", "WP 1: preclinical", "Review status"):
        assert tab in public_html
    assert 'data-testid="completeness"' in public_html
    assert "Dr. Erika Mustermann" not in public_html
    assert "pi@trial.example.org" not in public_html
    expert_html = client_for("expert").get(url).content.decode()
    assert "Dr. Erika Mustermann" in expert_html
    assert "pi@trial.example.org" in expert_html
    assert 'href="/economics/?product=' in public_html


def test_unpublished_product_is_visible_to_its_owner_and_curators_only(client_for, catalogue):
    url = catalogue["hidden"].get_absolute_url()
    assert client_for("anonymous").get(url).status_code == 404
    assert client_for("expert").get(url).status_code == 404
    assert client_for("owner").get(url).status_code == 200
    assert client_for("curator").get(url).status_code == 200


def test_completeness_counts_template_fields(catalogue):
    product = catalogue["tep"]
    filled, total = product.completeness()
    assert 0 < filled < total
    product.animal_studies = "Rodent studies"
    product.save()
    assert product.completeness()[0] == filled + 1


def test_product_pages_use_the_sheets_labels_and_show_kept_cells_to_curators_only(client_for):
    from trials.models import SheetCell

    product = ProductFactory(name="Label product", country_of_origin_text="Germany")
    SheetCell.objects.create(product=product, kind="header", section="wp1", label="WP 1", column=2, value="kept-note")
    body = client_for("anonymous").get(product.get_absolute_url()).content.decode()
    assert "Type of ATMP" in body and "Country of Origin" in body
    assert "Atmp type text" not in body and "Country of origin text" not in body
    assert "kept-note" not in body
    assert "kept-note" in client_for("curator").get(product.get_absolute_url()).content.decode()


def test_a_trial_has_its_page_by_registry_number_with_registers_status_history_and_product(client_for, owner):
    from trials.services import product_save, trial_save

    product = product_save(product=None, data={"name": "Detail product"}, user=owner, reason="", source="web")
    product.curation_status = "published"
    product.save()
    trial = trial_save(
        trial=None,
        product=product,
        data={"registry_id_text": "2019-001234-56 / NCT01234567", "title": "Detail study", "status_text": "planned"},
        user=owner,
        reason="",
        source="web",
    )
    trial_save(
        trial=trial, product=product, data={"status": "recruiting"}, user=None, reason="Register", source="register"
    )
    for registry_id in ("NCT01234567", "2019-001234-56"):
        response = client_for("anonymous").get(f"/trials/{registry_id}/")
        body = response.content.decode()
        assert response.status_code == 200
        assert "Detail study" in body and "Detail product" in body
        assert "https://clinicaltrials.gov/study/NCT01234567" in body
        history = body[body.index('data-testid="status-history"') :]
        assert history.index("Planned") < history.index("Recruiting") and "register" in history
    listed = client_for("anonymous").get("/trials/").content.decode()
    assert 'href="/trials/2019-001234-56/"' in listed


def test_an_htmx_request_gets_the_list_region_without_the_page_around_it(client_for, catalogue):
    client = client_for("anonymous")
    full = client.get("/trials/", {"phase": "phase_1"}).content.decode()
    assert 'id="list-region"' in full and "<html" in full and 'hx-boost="true"' in full
    partial = client.get("/trials/", {"phase": "phase_1"}, headers={"HX-Request": "true"}).content.decode()
    assert 'id="list-region"' in partial and "<html" not in partial and '<nav class="navbar' not in partial
    assert catalogue["car1"].title in partial and catalogue["gene1"].title not in partial
    products = client.get("/trials/products/", headers={"HX-Request": "true"}).content.decode()
    assert 'id="list-region"' in products and "<html" not in products
