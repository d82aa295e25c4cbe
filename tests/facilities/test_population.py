from facilities import population


def test_eu_member_states_add_up_to_the_published_eu_total():
    assert len(population.EU_MEMBER_STATES) == 27
    total = sum(population.EU_MEMBER_STATES.values())
    assert abs(total - population.EU_TOTAL_PUBLISHED) / population.EU_TOTAL_PUBLISHED < 0.001


def test_eea_membership_and_per_million():
    assert population.is_eu_eea("no") and population.is_eu_eea("DE")
    assert not population.is_eu_eea("CH") and not population.is_eu_eea("US")
    assert population.per_million(10, "MT") == round(10 * 1_000_000 / population.POPULATION["MT"], 2)
    assert population.per_million(3, "US") is None
