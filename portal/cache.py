"""A Redis cache that may fail: a connection error is a miss, never an error page.

Every read and write of the shared cache (the portal's own, Wagtail's site root
paths, allauth's rate limits) goes through ``ResilientRedisCache``. While Redis
does not answer, reads miss, writes are dropped and ``add`` succeeds (so allauth's
rate limits let people through; the login alone refuses, see
``portal.adapters``). After a failure the process leaves Redis alone for
``RETRY_SECONDS`` (one slow connect, not one per call), and the outage is logged
at most once every ``LOG_EVERY_SECONDS``, not per call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0


class ResilientRedisCache(RedisCache):
    """Django's RedisCache where Redis being down costs speed, never a page."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("retry_seconds", RETRY_SECONDS))
        # A Redis that does not answer (a partition, not a refused connection)
        # must not hold a request for long.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._down_until = 0.0
        self._logged_at = -LOG_EVERY_SECONDS
        self._failures = 0

    # --- the outage state ---------------------------------------------------------
    def _call(self, what: Callable[[], T], fallback: T) -> T:
        if self._down_until > time.monotonic():
            self._failures += 1
            return fallback
        try:
            value = what()
        except Exception as exc:  # noqa: BLE001 - any Redis failure is a miss
            from redis.exceptions import RedisError

            if not isinstance(exc, RedisError | OSError):
                raise
            self._went_down(exc)
            return fallback
        if self._down_until:
            logger.warning(
                "cache: Redis answers again (%d calls served without it)",
                self._failures,
            )
            self._down_until, self._failures = 0.0, 0
            self._logged_at = -LOG_EVERY_SECONDS
        return value

    def _went_down(self, exc: Exception) -> None:
        now = time.monotonic()
        self._down_until = now + self.retry_seconds
        self._failures += 1
        if now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.warning(
                "cache: Redis unreachable (%s: %s); serving without it, "
                "retrying every %.0f s",
                exc.__class__.__name__,
                exc,
                self.retry_seconds,
            )

    def reachable(self) -> bool:
        """Whether Redis answers now (one round trip; never raises)."""
        try:
            self._cache.get_client(write=True).ping()  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            self._went_down(exc)
            return False
        return True

    # --- every operation of the backend, each allowed to fail ----------------------
    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._call(
            lambda: RedisCache.add(self, key, value, timeout, version), True
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._call(lambda: RedisCache.get(self, key, default, version), default)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._call(lambda: RedisCache.set(self, key, value, timeout, version), None)

    def touch(
        self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._call(lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._call(lambda: RedisCache.delete(self, key, version), False)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._call(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._call(lambda: RedisCache.has_key(self, key, version), False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        missing = object()
        value = self._call(lambda: RedisCache.incr(self, key, delta, version), missing)
        if value is missing:
            # No counter to add to: as if the key were missing (Django's contract).
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return value  # type: ignore[return-value]

    def set_many(
        self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        return self._call(
            lambda: RedisCache.set_many(self, data, timeout, version), list(data)
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._call(lambda: RedisCache.delete_many(self, keys, version), None)

    def clear(self) -> None:
        self._call(lambda: RedisCache.clear(self), None)


def cache_reachable(alias: str = "default") -> bool:
    """Whether the shared cache answers now; a cache that is not Redis (the
    database, memory) always does as far as this is concerned."""
    backend = caches[alias]
    return backend.reachable() if isinstance(backend, ResilientRedisCache) else True
