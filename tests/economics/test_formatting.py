from economics.templatetags.economics_format import eur, input_label


def test_money_puts_the_sign_before_the_currency_and_groups_thousands():
    assert eur(-10873279.4) == "−€10,873,279"
    assert eur(1279985.344, 2) == "€1,279,985.34"
    assert eur(None) == "—"


def test_input_paths_read_as_words():
    assert input_label("phases.2.duration_years") == "Phase 3: duration (years)"
    assert input_label("market.price_per_treatment_eur") == "Market: price per treatment (€)"
    assert input_label("discount_rate") == "Discount rate"
