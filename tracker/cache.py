"""A Redis cache that a Redis outage cannot turn into failed requests.

The cache holds nothing but throttle counters: losing it for a while only means no throttling for a while. Django's
own RedisCache raises on every call while Redis is down, which failed every API request (the throttle reads the
cache first) — an editor's claim save included, though the database was fine and the check would be caught up by
the reconcile task. So every call here answers as a cache miss instead, and logs why.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class TolerantRedisCache(RedisCache):
    def _failed(self, operation: str, exc: Exception) -> None:
        log.warning("cache %s failed, answering as a miss: %s", operation, exc)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            self._failed("get", exc)
            return default

    def set(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            self._failed("set", exc)

    def add(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> bool:
        try:
            return bool(super().add(key, value, timeout, version))
        except RedisError as exc:
            self._failed("add", exc)
            return False

    def touch(self, key: Any, timeout: Any = None, version: Any = None) -> bool:
        try:
            return bool(super().touch(key, timeout, version))
        except RedisError as exc:
            self._failed("touch", exc)
            return False

    def delete(self, key: Any, version: Any = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except RedisError as exc:
            self._failed("delete", exc)
            return False

    def get_many(self, keys: Any, version: Any = None) -> dict[str, Any]:
        try:
            return dict(super().get_many(keys, version))
        except RedisError as exc:
            self._failed("get_many", exc)
            return {}

    def has_key(self, key: Any, version: Any = None) -> bool:
        try:
            return bool(super().has_key(key, version))
        except RedisError as exc:
            self._failed("has_key", exc)
            return False

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        try:
            return int(super().incr(key, delta, version))
        except RedisError as exc:
            self._failed("incr", exc)
            raise ValueError(f"cache key {key!r} is unavailable while Redis is down") from exc

    def set_many(self, data: Any, timeout: Any = None, version: Any = None) -> list[str]:
        try:
            return list(super().set_many(data, timeout, version))
        except RedisError as exc:
            self._failed("set_many", exc)
            return list(data)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        try:
            super().delete_many(keys, version)
        except RedisError as exc:
            self._failed("delete_many", exc)
