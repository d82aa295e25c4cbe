import pytest
from django.http import QueryDict

from trials.facets import PRODUCT_FACETS, TRIAL_FACETS, facet_counts
from trials.filters import ProductFilter, TrialFilter
from trials.models import Product, Trial

pytestmark = pytest.mark.django_db


def trials(query: str) -> set[str]:
    qs = TrialFilter(QueryDict(query), queryset=Trial.objects.public()).qs
    return {t.title for t in qs}


def products(query: str) -> list[str]:
    return [p.name for p in ProductFilter(QueryDict(query), queryset=Product.objects.public()).qs]


def test_trial_filters_combine(catalogue):
    assert trials("phase=phase_1") == {catalogue["car1"].title}
    assert trials("phase=phase_1&phase=phase_3") == {catalogue["car1"].title, catalogue["gene1"].title}
    assert trials("country=FR") == {catalogue["car1"].title, catalogue["tep1"].title}
    assert trials("country=FR&phase=phase_1_2") == {catalogue["tep1"].title}
    assert trials("atmp_type=gtmp") == {catalogue["gene1"].title}
    assert trials("sponsor_type=commercial&status=recruiting") == {catalogue["car2"].title}
    assert trials("first_in_human=yes") == {catalogue["car1"].title}
    assert trials("origin=US") == {catalogue["gene1"].title}
    assert trials("disease=haemophilia") == {catalogue["gene1"].title}
    assert trials("target=cd19") == {catalogue["car1"].title, catalogue["car2"].title}
    assert trials("start_year=2023") == {catalogue["car2"].title}


def test_unknown_values_are_ignored_not_errors(catalogue):
    assert len(trials("phase=phase_99&start_year=abcd&first_in_human=maybe")) == 4


def test_product_filters_reach_through_trials_without_duplicates(catalogue):
    assert products("country=DE") == ["Alpha CAR-T"]
    assert products("sponsor_type=commercial") == ["Alpha CAR-T", "Beta AAV"]
    assert products("phase=phase_3") == ["Beta AAV"]  # the highest phase
    assert products("status=ongoing") == ["Alpha CAR-T", "Beta AAV", "Gamma cartilage"]


def test_sorting_by_phase_follows_development_order(catalogue):
    assert products("sort=phase") == ["Gamma cartilage", "Alpha CAR-T", "Beta AAV"]
    assert products("sort=-phase") == ["Beta AAV", "Alpha CAR-T", "Gamma cartilage"]


def test_facets_count_each_choice_with_the_other_filters(catalogue):
    facets = {
        f.name: {o.value: o.count for o in f.options}
        for f in facet_counts(
            filterset_class=TrialFilter,
            data=QueryDict("phase=phase_1&country=DE"),
            queryset=Trial.objects.public(),
            specs=TRIAL_FACETS,
        )  # fmt: skip
    }
    # Phase counts ignore the phase filter but respect country=DE.
    assert facets["phase"] == {"phase_1": 1, "phase_2": 1}
    # Country counts ignore the country filter but respect phase=phase_1.
    assert facets["country"] == {"DE": 1, "FR": 1}
    assert facets["first_in_human"] == {"yes": 1}


def test_product_facets_never_count_unpublished_records(catalogue):
    facets = facet_counts(
        filterset_class=ProductFilter, data=QueryDict(""), queryset=Product.objects.public(), specs=PRODUCT_FACETS
    )
    by_name = {f.name: {o.value: o.count for o in f.options} for f in facets}
    assert by_name["atmp_type"] == {"gtmp_ex_vivo": 1, "gtmp": 1, "tep": 1}
    assert sum(by_name["phase"].values()) == 3


def test_the_product_list_offers_a_value_picker_per_field(client_for):
    from .factories import ProductFactory

    ProductFactory(name="Pick A", cell_type="T cells")
    ProductFactory(name="Pick B", cell_type="T cells")
    ProductFactory(name="Pick C", cell_type="NK cells", atmp_type="sctmp")
    client = client_for("anonymous")
    page = client.get("/trials/products/").content.decode()
    assert 'id="pick-field"' in page and 'value="cell_type"' in page
    picker = client.get("/trials/products/values/", {"field": "cell_type"}, headers={"HX-Request": "true"})
    body = picker.content.decode()
    assert picker.status_code == 200 and "<html" not in body
    assert body.index("T cells") < body.index("NK cells") and ">2<" in body
    narrowed = client.get("/trials/products/values/", {"field": "cell_type", "atmp_type": "sctmp"}).content.decode()
    assert "NK cells" in narrowed and "T cells" not in narrowed
    listed = client.get("/trials/products/", {"pick_cell_type": ["NK cells", "B cells"]}).content.decode()
    assert "Pick C" in listed and "Pick A" not in listed
    assert client.get("/trials/products/values/", {"field": "owner"}).status_code == 404
    assert client.get("/api/products/", {"pick_cell_type": "T cells"}).json()["count"] == 2
