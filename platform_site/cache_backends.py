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

    def _failed(self, action: str) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_warning >= WARN_EVERY_SECONDS:
            ResilientRedisCache._last_warning = now
            logger.warning("Cache %s failed; going on without the cache", action, exc_info=True)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception:  # unreachable, or a value that no longer unpickles: a miss
            self._failed("read")
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except Exception:
            self._failed("read")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE:
            self._failed("read")
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE:
            self._failed("write")
            return True  # as if stored: a lock taken through add() lets its caller go on

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE:
            self._failed("write")

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE:
            self._failed("write")
            return list(data)  # the keys that were not stored

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE:
            self._failed("write")
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE:
            self._failed("write")
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE:
            self._failed("write")

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE:
            self._failed("write")
            return False
