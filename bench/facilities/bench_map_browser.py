"""Map page with 10,000 facilities in headless Chromium: time until every cluster is drawn.

"Ready" is set by static/facilities/map.js once the GeoJSON is loaded and the last marker
chunk is on the map (clusters in the DOM). Measured in the page with performance.now(),
from navigation start. Floor, in the same run: the same page with no facility at all (all
assets, the API round trip and Leaflet's start-up, but nothing to cluster).

Run: make bench BENCH=bench/facilities/bench_map_browser.py   (target: under 1.5 s)
Needs the system Chromium (apt-get install chromium); skips without it.
"""

import os
import shutil
import statistics
from decimal import Decimal

import pytest

from facilities.models import Facility

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
N = 10_000
ROUNDS = 5

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--headless=new", "--no-sandbox"]}


def _facilities(n: int) -> None:
    """n facilities on a grid over Europe (35-70 N, 10 W-30 E), three ATMP types."""
    rows = []
    for i in range(n):
        lat = Decimal(35 + (i % 100) * 0.35).quantize(Decimal("0.000001"))
        lon = Decimal(-10 + (i // 100) * 0.4).quantize(Decimal("0.000001"))
        rows.append(
            Facility(
                name=f"Bench unit {i}",
                slug=f"bench-unit-{i}",
                institution=f"Bench institution {i % 700}",
                institution_type="university_hospital",
                city="Bench city",
                country=("DE", "FR", "IT", "ES", "PL")[i % 5],
                latitude=lat,
                longitude=lon,
                atmp_categories=("|gtmp|", "|sctmp|car_t|", "|tep|")[i % 3],
                activities="|cell_processing|qc_testing|",
                is_demo=True,
            )
        )
    Facility.objects.bulk_create(rows, batch_size=2000)


def _time_to_ready(page, url: str) -> float:
    page.route("**/*.png", lambda route: route.abort() if "tile" in route.request.url else route.continue_())
    page.goto(url)
    page.wait_for_selector("#facilities-map[data-state=ready]", timeout=60_000)
    return float(page.locator("#facilities-map").get_attribute("data-ready-at")) / 1000


def _measure(benchmark, page, url: str, expected_markers: int) -> dict:
    timings: list[float] = []

    def once():
        timings.append(_time_to_ready(page, url))

    _time_to_ready(page, url)  # warm-up: static files cached, as for a returning visitor
    benchmark.pedantic(once, rounds=ROUNDS, iterations=1)
    assert page.locator("#facilities-map").get_attribute("data-marker-count") == str(expected_markers)
    figures = {"median_s": statistics.median(timings), "max_s": max(timings), "min_s": min(timings)}
    benchmark.extra_info.update(figures)
    print(f"\n{url}: {expected_markers} markers ready in median {figures['median_s']:.3f} s ({timings})")
    return figures


@pytest.mark.benchmark(group="facilities-map-browser")
def test_floor_map_page_without_facilities(benchmark, live_server, page):
    _measure(benchmark, page, f"{live_server.url}/facilities/", 0)


@pytest.mark.benchmark(group="facilities-map-browser")
def test_map_page_10000_facilities_all_clusters(benchmark, live_server, page):
    _facilities(N)
    figures = _measure(benchmark, page, f"{live_server.url}/facilities/", N)
    clusters = page.locator(".marker-cluster").count()
    print(f"clusters drawn at the initial zoom: {clusters}")
    assert clusters > 0
    # Target 1.5 s: reported (docs/benchmarks.md), not asserted, as the machine is shared.
    benchmark.extra_info["within_1_5_s_target"] = figures["median_s"] < 1.5
