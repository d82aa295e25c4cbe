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
TABLE = "tps00001 (dataset demo_pjan), population on 1 January"

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


# Capitals (WGS 84), the reference point for "nearest facility abroad" in the capability gaps.
CAPITALS: dict[str, tuple[float, float]] = {
    "AT": (48.2082, 16.3738),
    "BE": (50.8503, 4.3517),
    "BG": (42.6977, 23.3219),
    "CY": (35.1856, 33.3823),
    "CZ": (50.0755, 14.4378),
    "DE": (52.5200, 13.4050),
    "DK": (55.6761, 12.5683),
    "EE": (59.4370, 24.7536),
    "ES": (40.4168, -3.7038),
    "FI": (60.1699, 24.9384),
    "FR": (48.8566, 2.3522),
    "GR": (37.9838, 23.7275),
    "HR": (45.8150, 15.9819),
    "HU": (47.4979, 19.0402),
    "IE": (53.3498, -6.2603),
    "IT": (41.9028, 12.4964),
    "LT": (54.6872, 25.2797),
    "LU": (49.6116, 6.1319),
    "LV": (56.9496, 24.1052),
    "MT": (35.8989, 14.5146),
    "NL": (52.3676, 4.9041),
    "PL": (52.2297, 21.0122),
    "PT": (38.7223, -9.1393),
    "RO": (44.4268, 26.1025),
    "SE": (59.3293, 18.0686),
    "SI": (46.0569, 14.5058),
    "SK": (48.1486, 17.1077),
    "IS": (64.1466, -21.9426),
    "LI": (47.1410, 9.5209),
    "NO": (59.9139, 10.7522),
    "CH": (46.9480, 7.4474),
}
