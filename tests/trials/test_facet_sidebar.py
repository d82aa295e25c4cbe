"""The facet sidebar's options (trials/templatetags/facet_tags.py): escaped, ticked, folded."""

from trials.facets import Facet, FacetOption
from trials.templatetags.facet_tags import facet_options


def option(value: str, *, label: str | None = None, count: int = 1, selected: bool = False) -> FacetOption:
    return FacetOption(value, label or value.upper(), count, selected)


def test_each_option_is_a_labelled_checkbox_with_its_count():
    html = facet_options(Facet("phase", "Phase", [option("phase_1", count=12), option("phase_2", selected=True)]))
    assert html.count('type="checkbox"') == 2
    assert '<input class="form-check-input" type="checkbox" name="phase" value="phase_1" id="f-phase-1">' in html
    assert 'for="f-phase-1"' in html and 'id="f-phase-2" checked>' in html
    assert '<span class="badge rounded-pill text-bg-light facet-count">12</span>' in html


def test_first_in_human_is_a_radio_choice():
    assert 'type="radio"' in facet_options(Facet("first_in_human", "First in human", [option("yes")]))


def test_labels_and_values_are_escaped():
    html = facet_options(Facet("country", "Country", [option('"><script>x</script>', label="<b>Ruritania</b>")]))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;Ruritania&lt;/b&gt;" in html and 'value="&quot;&gt;&lt;script&gt;' in html


def test_options_past_the_eighth_are_folded_unless_ticked():
    options = [option(f"v{i}") for i in range(1, 11)]
    options[9].selected = True
    facet = Facet("start_year", "Start year", options)
    html = facet_options(facet)
    assert facet.foldable
    assert html.count("facet-more d-none") == 1  # the ninth; the tenth is ticked, so shown
    assert [o.folded for o in facet.options] == [False] * 8 + [True, False]


def test_a_facet_without_values_says_so():
    assert "No values in these results." in facet_options(Facet("phase", "Phase", []))
