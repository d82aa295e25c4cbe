"""The ranking function on plain records: coverage, distance, capacity, lead time and every reason."""

import math

import numpy as np
import pytest

from facilities.matching import Need, Offer, OfferTable, Vocabulary, great_circle_km, rank

VOCAB = Vocabulary(
    services=("gmp_manufacturing", "viral_vector_production", "qp_certification"),
    categories=("car_t", "gtmp"),
    processes=("lentiviral_vector", "aav_vector"),
    labels={
        "gmp_manufacturing": "GMP manufacturing",
        "viral_vector_production": "vector production",
        "qp_certification": "QP certification",
        "car_t": "CAR-T",
        "gtmp": "GTMP",
        "lentiviral_vector": "lentiviral vectors",
        "aav_vector": "AAV vectors",
        "phase_1": "phase I",
        "phase_2": "phase II",
        "phase_3": "phase III",
    },
    scales=("phase_1", "phase_2", "phase_3"),
)
MUNICH = (48.1372, 11.5756)
BERLIN = (52.5200, 13.4050)
PARIS = (48.8566, 2.3522)
MADRID = (40.4168, -3.7038)


def offer(pk, where=BERLIN, country="DE", services=("viral_vector_production",), **fields):
    return Offer(pk, country, *where, services=frozenset(services), **fields)


def need(**fields):
    defaults = {"services": frozenset({"viral_vector_production"}), "latitude": MUNICH[0], "longitude": MUNICH[1]}
    return Need(**{**defaults, **fields})


def ranked(need_, *offers, **kwargs):
    return rank(need_, OfferTable(list(offers), VOCAB), **kwargs)


def test_great_circle_distance_berlin_paris():
    # Berlin-Paris is 878 km on the sphere of mean radius (the published figure is 877-878 km).
    d = great_circle_km(*BERLIN, np.radians([PARIS[0]]), np.radians([PARIS[1]]))[0]
    assert math.isclose(d, 878, abs_tol=2)
    assert great_circle_km(*BERLIN, np.radians([BERLIN[0]]), np.radians([BERLIN[1]]))[0] == pytest.approx(0)


def test_the_reason_of_the_issue_in_words():
    [match] = ranked(need(within_months=4), offer(1, lead_time_months=6))
    assert match.reasons[0] == "offers vector production"
    assert "504 km" in match.reasons
    assert "lead time 6 months > needed 4" in match.reasons
    assert match.distance_km == 504


def test_coverage_ranks_the_facility_offering_more_of_the_needed_services_first():
    wanted = need(services=frozenset({"gmp_manufacturing", "viral_vector_production"}))
    both = offer(1, services=("gmp_manufacturing", "viral_vector_production"))
    one = offer(2, services=("viral_vector_production",))
    first, second = ranked(wanted, one, both)
    assert (first.facility_id, second.facility_id) == (1, 2)
    assert "offers GMP manufacturing, vector production" in first.reasons
    assert "does not offer GMP manufacturing" in second.reasons


def test_an_offer_without_any_needed_service_is_left_out():
    assert ranked(need(), offer(1, services=("qp_certification",))) == []


def test_distance_nearer_ranks_higher_and_the_maximum_distance_excludes():
    matches = ranked(need(), offer(1, where=MADRID, country="ES"), offer(2, where=BERLIN))
    assert [m.facility_id for m in matches] == [2, 1]
    assert matches[0].distance_km < matches[1].distance_km
    assert [
        m.facility_id for m in ranked(need(max_distance_km=600), offer(1, where=MADRID, country="ES"), offer(2))
    ] == [2]


def test_a_preferred_country_counts_as_near_and_is_kept_beyond_the_maximum_distance():
    wanted = need(countries=frozenset({"ES"}), max_distance_km=600)
    [madrid, berlin] = ranked(wanted, offer(1, where=MADRID, country="ES"), offer(2))
    assert (madrid.facility_id, berlin.facility_id) == (1, 2)
    assert "in a preferred country (ES)" in madrid.reasons
    assert any(r.endswith("km > maximum 600") for r in madrid.reasons)


def test_capacity_enough_beats_too_little_and_unknown_is_between():
    wanted = need(batches=10)
    enough, little, unknown = offer(1, batches_per_year=12), offer(2, batches_per_year=2), offer(3)
    assert [m.facility_id for m in ranked(wanted, little, unknown, enough)] == [1, 3, 2]
    reasons = {m.facility_id: m.reasons for m in ranked(wanted, little, unknown, enough)}
    assert "capacity 12 batches a year ≥ 10 needed" in reasons[1]
    assert "capacity 2 batches a year < 10 needed" in reasons[2]
    assert "capacity not stated" in reasons[3]


def test_an_offer_at_the_wrong_scale_loses_its_capacity_part_and_says_so():
    wanted = need(phase="phase_3", batches=24)
    early = offer(1, scales=frozenset({"phase_1", "phase_2"}), batches_per_year=30)
    late = offer(2, scales=frozenset({"phase_2", "phase_3"}), batches_per_year=30)
    unstated = offer(3, batches_per_year=30)
    matches = {m.facility_id: m for m in ranked(wanted, early, late, unstated)}
    assert "makes phase I/II scale only; need is phase III" in matches[1].reasons
    assert "makes phase III scale" in matches[2].reasons
    assert "scales not stated" in matches[3].reasons
    # Same offer otherwise: the wrong scale costs the whole capacity part (10 points), unstated scales nothing.
    assert matches[2].score - matches[1].score == pytest.approx(10.0)
    assert matches[3].score == matches[2].score


def test_scale_and_capacity_are_both_said_and_both_count():
    wanted = need(phase="phase_2", batches=24)
    small = offer(1, scales=frozenset({"phase_2"}), batches_per_year=10)
    [match] = ranked(wanted, small)
    assert "makes phase II scale" in match.reasons
    assert "capacity 10 batches a year < 24 needed" in match.reasons
    big = offer(2, scales=frozenset({"phase_2"}), batches_per_year=24)
    assert [m.facility_id for m in ranked(wanted, small, big)] == [2, 1]


def test_no_phase_means_no_scale_reason_and_no_penalty():
    early = offer(1, scales=frozenset({"phase_1"}), batches_per_year=30)
    [match] = ranked(need(batches=10), early)
    assert not any("scale" in r for r in match.reasons)
    assert match.score == ranked(need(batches=10), offer(1, batches_per_year=30))[0].score


def test_lead_time_within_the_timeline_beats_a_longer_one():
    wanted = need(within_months=4)
    matches = ranked(wanted, offer(1, lead_time_months=8), offer(2, lead_time_months=3))
    assert [m.facility_id for m in matches] == [2, 1]
    assert "lead time 3 months ≤ needed 4" in matches[0].reasons
    assert "lead time 8 months > needed 4" in matches[1].reasons
    assert "lead time not stated" in ranked(wanted, offer(3))[0].reasons


def test_category_process_academic_and_stale_reasons():
    wanted = need(category="car_t", processes=frozenset({"lentiviral_vector", "aav_vector"}), academic=True)
    good = offer(1, categories=frozenset({"car_t"}), processes=frozenset({"lentiviral_vector"}))
    poor = offer(2, categories=frozenset({"gtmp"}), takes_academic=False, stale=True)
    first, second = ranked(wanted, poor, good)
    assert first.facility_id == 1
    assert {"makes CAR-T", "runs lentiviral vectors", "no AAV vectors"} <= set(first.reasons)
    assert {"does not list CAR-T", "takes no academic projects", "offer not confirmed for over 12 months"} <= set(
        second.reasons
    )


def test_scores_without_a_point_use_preferred_countries_only():
    wanted = Need(services=frozenset({"viral_vector_production"}), countries=frozenset({"FR"}))
    [paris, berlin] = ranked(wanted, offer(1), offer(2, where=PARIS, country="FR"))
    assert (paris.facility_id, paris.distance_km, berlin.facility_id) == (2, None, 1)
    assert paris.score - berlin.score == pytest.approx(15.0)


def test_limit_keeps_the_best_and_ties_go_to_the_nearer():
    offers = [offer(pk, where=(BERLIN[0] + pk / 100, BERLIN[1])) for pk in range(1, 51)]
    matches = ranked(need(), *reversed(offers), limit=5)
    assert [m.facility_id for m in matches] == [1, 2, 3, 4, 5]


def test_a_perfect_offer_scores_100():
    wanted = need(category="car_t", processes=frozenset({"lentiviral_vector"}), batches=2, within_months=6)
    perfect = offer(1, where=MUNICH, categories=frozenset({"car_t"}), processes=frozenset({"lentiviral_vector"}),
                    batches_per_year=5, lead_time_months=6)  # fmt: skip
    assert ranked(wanted, perfect)[0].score == 100.0
