"""Population on 1 January 2024 and EU/EEA membership, for facilities per million inhabitants.

Source: Eurostat, "Population on 1 January" (online table tps00001, dataset
demo_pjan), reference date 1 January 2024, as published in July 2024
(Eurostat news release "EU population increases again in 2024", 11 July 2024:
EU-27 449.2 million; Germany 83.4 million; Malta 0.6 million). Switzerland, an
EFTA state outside the EEA, is in the same table. Figures are written here,
never fetched at run time; `tests/facilities/test_population.py` checks the
EU-27 sum against the published total. Update the figures and SOURCE together.
"""

from __future__ import annotations

SOURCE = "Eurostat, Population on 1 January 2024 (tps00001 / demo_pjan), published July 2024"
SOURCE_URL = "https://ec.europa.eu/eurostat/databrowser/view/tps00001/default/table"
REFERENCE_DATE = "2024-01-01"

# ISO 3166-1 alpha-2 (Eurostat writes EL for Greece; we store GR) -> persons.
EU_MEMBER_STATES: dict[str, int] = {
    "AT": 9_158_750,
    "BE": 11_832_049,
    "BG": 6_445_481,
    "CY": 933_505,
    "CZ": 10_900_555,
    "DE": 83_445_000,
    "DK": 5_961_249,
    "EE": 1_374_687,
    "ES": 48_619_695,
    "FI": 5_603_851,
    "FR": 68_401_997,
    "GR": 10_397_193,
    "HR": 3_861_967,
    "HU": 9_584_627,
    "IE": 5_271_395,
    "IT": 58_989_749,
    "LT": 2_885_891,
    "LU": 672_050,
    "LV": 1_871_882,
    "MT": 563_443,
    "NL": 17_942_942,
    "PL": 36_620_970,
    "PT": 10_639_726,
    "RO": 19_064_409,
    "SE": 10_551_707,
    "SI": 2_123_949,
    "SK": 5_424_687,
}
# EEA members outside the EU (EEA Agreement: Iceland, Liechtenstein, Norway).
EEA_NON_EU: dict[str, int] = {
    "IS": 383_726,
    "LI": 39_886,
    "NO": 5_550_203,
}
# Other European states with ATMP manufacturing, shown when they have facilities.
OTHER: dict[str, int] = {
    "CH": 8_962_258,
}

EU_EEA = {**EU_MEMBER_STATES, **EEA_NON_EU}
POPULATION = {**EU_EEA, **OTHER}
EU_TOTAL_PUBLISHED = 449_200_000  # Eurostat news release, 11 July 2024 ("449.2 million")


def population_of(country_code: str) -> int | None:
    return POPULATION.get(country_code.upper())


def is_eu_eea(country_code: str) -> bool:
    return country_code.upper() in EU_EEA


def per_million(count: int, country_code: str) -> float | None:
    population = population_of(country_code)
    return round(count * 1_000_000 / population, 2) if population else None
