"""Ranking facilities' service offers against one manufacturing need: a pure function, no Django.

Offers are held column-wise (NumPy arrays, vocabularies as bit masks), so one need is
scored against 10,000 offers in a few vectorised passes; the reasons in words are
written only for the matches returned. `facilities.hub_queries` builds the table from
the database; tests and bench/facilities/ build it from plain `Offer` records.

Score (0-100) = weighted sum of six parts, each 0..1:
  services 35 (share of the needed services offered), ATMP category 15, process 15
  (share of the needed process types), capacity 10 (batches per year against the
  batches needed, unknown = half; 0 when the offer states its scales and the need's
  phase is not among them), timing 10 (needed months / lead time, at most 1;
  unknown = half), location 15 (1 in a preferred country; otherwise falling linearly
  to 0 at the maximum distance, or at `REACH_KM` without one).
An academic need halves the score of offers that take no academic projects.
An offer is left out when it offers none of the needed services, or lies beyond the
need's maximum distance outside its preferred countries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
REACH_KM = 3000.0  # without a maximum distance, the location part reaches 0 at this distance
WEIGHTS = {"services": 35.0, "category": 15.0, "process": 15.0, "capacity": 10.0, "timing": 10.0, "location": 15.0}


@dataclass(frozen=True)
class Vocabulary:
    """Codes in bit order per vocabulary (at most 63 each), and the words reasons use for them."""

    services: tuple[str, ...]
    categories: tuple[str, ...]
    processes: tuple[str, ...]
    labels: Mapping[str, str]
    scales: tuple[str, ...] = ()

    def mask(self, kind: str, codes) -> int:
        order = getattr(self, kind)
        return sum(1 << order.index(code) for code in codes if code in order)

    def words(self, kind: str, mask: int) -> list[str]:
        return [self.labels.get(code, code) for bit, code in enumerate(getattr(self, kind)) if mask >> bit & 1]


@dataclass(frozen=True)
class Offer:
    facility_id: int
    country: str
    latitude: float
    longitude: float
    services: frozenset[str]
    categories: frozenset[str] = frozenset()
    processes: frozenset[str] = frozenset()
    scales: frozenset[str] = frozenset()
    batches_per_year: int | None = None
    lead_time_months: int | None = None
    takes_academic: bool = True
    stale: bool = False


@dataclass(frozen=True)
class Need:
    services: frozenset[str]
    category: str = ""
    processes: frozenset[str] = frozenset()
    phase: str = ""
    batches: int | None = None
    within_months: int | None = None
    countries: frozenset[str] = frozenset()
    max_distance_km: float | None = None
    latitude: float | None = None
    longitude: float | None = None
    academic: bool = False


@dataclass(frozen=True)
class Match:
    facility_id: int
    score: float
    distance_km: float | None
    reasons: tuple[str, ...]


class OfferTable:
    """The offers column-wise; built once, ranked against many needs."""

    def __init__(self, offers: Sequence[Offer], vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.facility_ids = np.array([o.facility_id for o in offers], dtype=np.int64)
        self.countries = np.array([o.country for o in offers], dtype="U2")
        self.lat = np.radians(np.array([o.latitude for o in offers], dtype=np.float64))
        self.lon = np.radians(np.array([o.longitude for o in offers], dtype=np.float64))
        self.services = np.array([vocabulary.mask("services", o.services) for o in offers], dtype=np.uint64)
        self.categories = np.array([vocabulary.mask("categories", o.categories) for o in offers], dtype=np.uint64)
        self.processes = np.array([vocabulary.mask("processes", o.processes) for o in offers], dtype=np.uint64)
        self.scales = np.array([vocabulary.mask("scales", o.scales) for o in offers], dtype=np.uint64)
        # -1 = not stated.
        self.batches = np.array([-1 if o.batches_per_year is None else o.batches_per_year for o in offers], np.int64)
        self.lead = np.array([-1 if o.lead_time_months is None else o.lead_time_months for o in offers], np.int64)
        self.academic = np.array([o.takes_academic for o in offers], dtype=bool)
        self.stale = np.array([o.stale for o in offers], dtype=bool)

    def __len__(self) -> int:
        return len(self.facility_ids)


def great_circle_km(lat: float, lon: float, lats_rad: np.ndarray, lons_rad: np.ndarray) -> np.ndarray:
    """Haversine distances in km from one point (degrees) to many (radians)."""
    phi, lam = np.radians(lat), np.radians(lon)
    a = np.sin((lats_rad - phi) / 2) ** 2 + np.cos(phi) * np.cos(lats_rad) * np.sin((lons_rad - lam) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def _share(offered: np.ndarray, needed: int) -> np.ndarray:
    """Share of the needed bits present in each offered mask (1 when nothing is needed)."""
    if not needed:
        return np.ones(len(offered))
    return np.bitwise_count(offered & np.uint64(needed)) / int(needed).bit_count()


def scores(need: Need, table: OfferTable) -> tuple[np.ndarray, np.ndarray | None]:
    """Every offer's score (NaN = left out) and distance in km (None without a point for the need)."""
    vocab = table.vocabulary
    services = _share(table.services, vocab.mask("services", need.services))
    category_bit = vocab.mask("categories", [need.category]) if need.category else 0
    category = (table.categories & np.uint64(category_bit)) != 0 if category_bit else np.ones(len(table))
    process = _share(table.processes, vocab.mask("processes", need.processes))
    if need.batches:
        capacity = np.where(table.batches < 0, 0.5, np.minimum(table.batches / need.batches, 1.0))
    else:
        capacity = np.ones(len(table))
    phase_bit = vocab.mask("scales", [need.phase]) if need.phase else 0
    if phase_bit:
        # Batches made at the wrong scale are no capacity at all; an offer stating no scales keeps its part.
        capacity = np.where((table.scales != 0) & ((table.scales & np.uint64(phase_bit)) == 0), 0.0, capacity)
    if need.within_months:
        timing = np.where(table.lead < 0, 0.5, np.minimum(need.within_months / np.maximum(table.lead, 1), 1.0))
    else:
        timing = np.ones(len(table))
    preferred = np.isin(table.countries, list(need.countries)) if need.countries else np.zeros(len(table), bool)
    distance = None
    if need.latitude is not None and need.longitude is not None:
        distance = great_circle_km(need.latitude, need.longitude, table.lat, table.lon)
        reach = need.max_distance_km or REACH_KM
        location = np.where(preferred, 1.0, np.clip(1.0 - distance / reach, 0.0, 1.0))
    else:
        location = preferred.astype(np.float64) if need.countries else np.full(len(table), 0.5)
    total = (
        WEIGHTS["services"] * services
        + WEIGHTS["category"] * category
        + WEIGHTS["process"] * process
        + WEIGHTS["capacity"] * capacity
        + WEIGHTS["timing"] * timing
        + WEIGHTS["location"] * location
    )
    if need.academic:
        total = np.where(table.academic, total, total / 2)
    out = services == 0
    if distance is not None and need.max_distance_km:
        out |= (distance > need.max_distance_km) & ~preferred
    return np.where(out, np.nan, total), distance


def rank(need: Need, table: OfferTable, *, limit: int = 20) -> list[Match]:
    """The best `limit` offers for the need, best first (ties: nearer, then lower facility id), with reasons."""
    total, distance = scores(need, table)
    candidates = np.flatnonzero(~np.isnan(total))
    if len(candidates) > limit:
        # Partial selection first: sorting 10,000 scores fully would cost more than everything else.
        kept = np.argpartition(-total[candidates], limit - 1)[:limit]
        cutoff = total[candidates][kept].min()
        candidates = candidates[total[candidates] >= cutoff]
    near = distance[candidates] if distance is not None else np.zeros(len(candidates))
    order = np.lexsort((table.facility_ids[candidates], near, -total[candidates]))[:limit]
    return [
        Match(
            facility_id=int(table.facility_ids[i]),
            score=round(float(total[i]), 1),
            distance_km=None if distance is None else round(float(distance[i])),
            reasons=tuple(reasons(need, table, i, None if distance is None else float(distance[i]))),
        )
        for i in candidates[order]
    ]


def reasons(need: Need, table: OfferTable, i: int, distance_km: float | None) -> list[str]:
    """Why offer `i` ranks where it does, in words a developer reads."""
    vocab, said = table.vocabulary, []
    needed = vocab.mask("services", need.services)
    offered = int(table.services[i])
    if needed & offered:
        said.append("offers " + ", ".join(vocab.words("services", needed & offered)))
    if needed & ~offered:
        said.append("does not offer " + ", ".join(vocab.words("services", needed & ~offered)))
    if need.category:
        label = vocab.labels.get(need.category, need.category)
        has = int(table.categories[i]) & vocab.mask("categories", [need.category])
        said.append(f"makes {label}" if has else f"does not list {label}")
    wanted = vocab.mask("processes", need.processes)
    if wanted:
        processes = int(table.processes[i])
        if wanted & processes:
            said.append("runs " + ", ".join(vocab.words("processes", wanted & processes)))
        if wanted & ~processes:
            said.append("no " + ", ".join(vocab.words("processes", wanted & ~processes)))
    country = str(table.countries[i])
    if country in need.countries:
        said.append(f"in a preferred country ({country})")
    if distance_km is not None:
        beyond = need.max_distance_km and distance_km > need.max_distance_km
        said.append(f"{distance_km:,.0f} km" + (f" > maximum {need.max_distance_km:,.0f}" if beyond else ""))
    said.append(_scale_words(vocab, int(table.scales[i]), need.phase))
    said.append(_capacity_words(int(table.batches[i]), need.batches))
    said.append(_timing_words(int(table.lead[i]), need.within_months))
    if need.academic and not table.academic[i]:
        said.append("takes no academic projects")
    if table.stale[i]:
        said.append("offer not confirmed for over 12 months")
    return [s for s in said if s]


def _scale_words(vocab: Vocabulary, scales: int, phase: str) -> str:
    phase_bit = vocab.mask("scales", [phase]) if phase else 0
    if not phase_bit:
        return ""
    wanted = vocab.labels.get(phase, phase)
    if not scales:
        return "scales not stated"
    if scales & phase_bit:
        return f"makes {wanted} scale"
    return f"makes {_stages(vocab.words('scales', scales))} scale only; need is {wanted}"


def _stages(words: list[str]) -> str:
    """["phase I", "phase II", "commercial"] -> "phase I/II, commercial"."""
    said: list[str] = []
    for word in words:
        if said and word.startswith("phase ") and said[-1].startswith("phase "):
            said[-1] += "/" + word.removeprefix("phase ")
        else:
            said.append(word)
    return ", ".join(said)


def _capacity_words(batches: int, needed: int | None) -> str:
    if not needed:
        return f"capacity {batches} batches a year" if batches >= 0 else ""
    if batches < 0:
        return "capacity not stated"
    sign = "≥" if batches >= needed else "<"
    return f"capacity {batches} batches a year {sign} {needed} needed"


def _timing_words(lead: int, within: int | None) -> str:
    if lead < 0:
        return "lead time not stated" if within else ""
    if not within:
        return f"lead time {lead} months"
    sign = "≤" if lead <= within else ">"
    return f"lead time {lead} months {sign} needed {within}"
