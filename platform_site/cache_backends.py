"""Redis as a cache that may go away: while it is down, reads miss and writes are skipped.

Nothing is kept only in the cache (the trial lists' facet index, rendered facility
GeoJSON, allauth's rate-limit counters are all rebuilt or restarted), but Django's own
RedisCache raises on every call while Redis is unreachable, and the lists, the map's
API and every login answered 500. With this backend they are served, slower; allauth's
rate limits are off meanwhile (django-axes keeps its login lockouts in the database),
the failure is logged at most once a minute, and /healthz reports the cache as down.

A value that cannot be read back (a pickle of a class an upgrade changed) is a miss too.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60
UNREACHABLE = (RedisError, OSError)


class ResilientRedisCache(RedisCache):
    _last_warning = 0.0

    def _soft(self, action: str, fallback, call, *args, errors=UNREACHABLE):
        """`call(*args)`, or `fallback` when it raises one of `errors` (logged at most once a minute)."""
        try:
            return call(*args)
        except errors:
            now = time.monotonic()
            if now - ResilientRedisCache._last_warning >= WARN_EVERY_SECONDS:
                ResilientRedisCache._last_warning = now
                logger.warning("Cache %s failed; going on without the cache", action, exc_info=True)
            return fallback

    # Reads also treat any other error as a miss: a value that no longer unpickles.
    def get(self, key, default=None, version=None):
        return self._soft("read", default, super().get, key, default, version, errors=Exception)

    def get_many(self, keys, version=None):
        return self._soft("read", {}, super().get_many, keys, version, errors=Exception)

    def has_key(self, key, version=None):
        return self._soft("read", False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # As if stored: a lock taken through add() (allauth's rate limits) lets its caller go on.
        return self._soft("write", True, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._soft("write", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("write", list(data), super().set_many, data, timeout, version)  # keys not stored

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("write", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._soft("write", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._soft("write", None, super().delete_many, keys, version)

    def clear(self):
        return self._soft("write", False, super().clear)
