from economics.engine.labels import input_label as engine_label
from economics.templatetags.economics_format import eur, input_label


def test_money_puts_the_sign_before_the_currency_and_groups_thousands():
    assert eur(-10873279.4) == "−€10,873,279"
    assert eur(1279985.344, 2) == "€1,279,985.34"
    assert eur(None) == "—"


def test_money_is_never_printed_as_nan_or_in_scientific_notation():
    assert eur(float("nan")) == "—"
    assert eur(float("inf")) == "—"
    assert eur(9.6e200).startswith("€960,000,000,000,000")
    assert "e+" not in eur(9.6e200)
    assert eur(-0.4) == "€0"  # rounds to zero: no minus sign before a zero


def test_input_paths_read_as_words():
    assert input_label("phases.0.success_probability") == "Phase 1 success probability"
    assert input_label("phases.2.duration_years") == "Phase 3 duration (years)"
    assert input_label("market.price_per_treatment_eur") == "Price per treatment (€)"
    assert input_label("discount_rate") == "Discount rate"
    assert engine_label("phases.1.cost_eur", ["Preclinical", "Phase 1"]) == "Phase 1 cost (€)"
    assert engine_label("uncertainty.market.price_per_treatment_eur.high") == "Price per treatment (€): high"
    assert engine_label("licensing.milestones.0.amount_eur") == "Licensing milestone 1: amount (€)"
