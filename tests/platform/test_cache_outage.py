"""With Redis down, pages that use the cache are still served (platform_site/cache_backends.py).

The production cache backend with a real Redis client, pointed at a port where nothing
listens: every call fails to connect, as when Redis is stopped. Against the running
Redis (make test-services) the same backend is what every other test uses."""

import logging
import pickle
import socket

import pytest
from django.core.cache import caches
from django.test import override_settings

from tests.facilities.helpers import make_facility
from tests.trials.factories import ProductFactory, TrialFactory
from trials import facet_index

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(monkeypatch):
    from platform_site.cache_backends import ResilientRedisCache

    monkeypatch.setattr(ResilientRedisCache, "_last_warning", 0.0)
    backend = {
        "BACKEND": "platform_site.cache_backends.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
    }
    facet_index._built.clear()  # as in a process that has not built the index yet
    with override_settings(CACHES={"default": backend}):
        yield caches["default"]
    facet_index._built.clear()


def test_every_call_of_the_backend_fails_soft(redis_down):
    cache = redis_down
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    cache.set("k", 1)
    assert cache.add("lock", True) is True
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    cache.delete_many(["a"])
    cache.clear()


@pytest.mark.parametrize("url", ["/trials/", "/trials/products/?q=demo", "/api/facilities/", "/accounts/login/"])
def test_pages_that_use_the_cache_are_served(client, redis_down, url):
    trial = TrialFactory(product=ProductFactory(name="CACHE-OUTAGE-1"), title="A trial that must be listed")
    make_facility("Outage unit")
    response = client.get(url)
    assert response.status_code == 200
    if url == "/trials/":
        assert trial.title in response.content.decode()
    if url == "/api/facilities/":
        assert response.json()["features"][0]["properties"]["name"] == "Outage unit"


def test_logging_in_works_without_the_cache(client, redis_down, expert):
    """allauth keeps its rate-limit counters in the cache; axes keeps lockouts in the database."""
    response = client.post("/accounts/login/", {"login": expert.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get("/experts/me/").status_code == 200


def test_the_failure_is_logged(client, redis_down, caplog):
    ProductFactory()
    with caplog.at_level(logging.WARNING, logger="platform_site.cache_backends"):
        assert client.get("/trials/").status_code == 200
    assert any("Cache read failed" in record.getMessage() for record in caplog.records)


def test_a_cached_value_that_no_longer_unpickles_is_a_miss(monkeypatch):
    """After an upgrade a pickled object may name a class that is gone: a miss, not a 500."""
    import redis

    from platform_site.cache_backends import ResilientRedisCache

    gone = b"cno_such_module_any_more\nFacetIndex\n)\x81."  # pickle protocol 0: an instance of a vanished class
    with pytest.raises(ModuleNotFoundError):
        pickle.loads(gone)  # noqa: S301 - our own bytes, to show what the cache would meet
    monkeypatch.setattr(redis.Redis, "get", lambda self, key: gone)
    cache = ResilientRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {})
    assert cache.get("key", "fallback") == "fallback"


def test_health_reports_the_cache_as_down(client, redis_down):
    assert client.get("/healthz").json()["cache"] != "ok"
