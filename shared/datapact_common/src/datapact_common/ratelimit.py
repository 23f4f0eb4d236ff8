"""Rate limits on the routes anyone may call, with the kept `limits` library.

A route opts in with ``dependencies=[Depends(rate_limiter.limit(RateLimitGroup.SEARCHES))]``.
Each caller has its own budget per group: a request without a token counts against its
client address, one with a valid token against the token's subject; ``service`` and
``admin`` tokens are not limited (the platform's own calls, operators). A request over the
budget is answered 429 with ``Retry-After`` and ``{"detail": ...}`` before the route does any
work (for routes that read their body themselves, before the body is read).

Counters live in the service's Redis when it has one (shared by every worker and replica),
otherwise in the process (dictionary-service, template-data-service: each worker counts on
its own). When the Redis cannot be reached the request is let through and a warning logged:
a broken limiter must not take the API down with it. Settings: docs/configuration.md
(``DATAPACT_RATE_LIMITS``, ``DATAPACT_RATE_LIMIT_DOCUMENTS``, ``DATAPACT_RATE_LIMIT_SEARCHES``).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from functools import cached_property

from fastapi import Request
from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError

from datapact_common.exceptions import RateLimitedError
from datapact_common.settings import ServiceSettings, parse_rate_limit
from datapact_common.web import Auth

logger = logging.getLogger(__name__)

_WARN_EVERY_SECONDS = 60.0


class RateLimitGroup(StrEnum):
    """Routes that share one budget per caller."""

    # a document parsed, validated or diffed for the caller (validate, proposed diff)
    DOCUMENTS = "documents"
    # reads that search or assemble a lot (search, filtered lists, ERD, reports)
    SEARCHES = "searches"


def storage_uri(redis_url: str | None) -> str:
    """The `limits` storage for a service's Redis URL, or the process's memory."""
    if not redis_url:
        return "memory://"
    scheme, separator, rest = redis_url.partition("://")
    if not separator or scheme not in ("redis", "rediss"):
        raise ValueError(f"not a redis:// URL: {redis_url!r}")
    return f"async+{scheme}://{rest}"


class RateLimiter:
    """Per-caller budgets per :class:`RateLimitGroup`, read from the service's settings.

    Built at import time like :class:`datapact_common.web.Auth` (settings are read on first
    use): ``rate_limiter = RateLimiter(get_settings, auth, lambda: get_settings().redis_url)``.
    """

    def __init__(
        self,
        settings: Callable[[], ServiceSettings],
        auth: Auth,
        redis_url: Callable[[], str | None] = lambda: None,
    ) -> None:
        self._settings = settings
        self._auth = auth
        self._redis_url = redis_url
        self._last_warning = -math.inf

    @cached_property
    def _strategy(self) -> SlidingWindowCounterRateLimiter:
        uri = storage_uri(self._redis_url())
        storage: Storage
        if uri == "memory://":
            storage = MemoryStorage()
        else:
            storage = RedisStorage(uri, implementation="redispy", wrap_exceptions=True)
        return SlidingWindowCounterRateLimiter(storage)

    def _items(self, group: RateLimitGroup) -> list[RateLimitItem]:
        settings = self._settings()
        text = (
            settings.datapact_rate_limit_documents
            if group is RateLimitGroup.DOCUMENTS
            else settings.datapact_rate_limit_searches
        )
        return parse_rate_limit(text)

    def limit(self, group: RateLimitGroup) -> Callable[[Request], Awaitable[None]]:
        """The dependency that counts a request against its caller's budget in ``group``."""

        async def dependency(request: Request) -> None:
            await self.check(request, group)

        return dependency

    async def check(self, request: Request, group: RateLimitGroup) -> None:
        """Count ``request`` against its caller's budget in ``group``; 429 when spent."""
        if not self._settings().rate_limits_enabled:
            return
        caller = self._caller(request)
        if caller is not None:
            await self._hit(group, caller)

    def _caller(self, request: Request) -> str | None:
        principal = self._auth.optional(request)  # an invalid token is a 401 here already
        if principal is None:
            return f"address:{request.client.host if request.client else 'unknown'}"
        if principal.is_service or principal.is_admin:
            return None
        return f"subject:{principal.sub}"

    async def _hit(self, group: RateLimitGroup, caller: str) -> None:
        strategy = self._strategy
        try:
            for item in self._items(group):
                if await strategy.hit(item, "datapact", str(group), caller):
                    continue
                stats = await strategy.get_window_stats(item, "datapact", str(group), caller)
                retry_after = max(1, math.ceil(stats.reset_time - time.time()))
                raise RateLimitedError(
                    f"too many requests: at most {item} per caller on the {group} routes; "
                    f"retry in {retry_after} s",
                    retry_after=retry_after,
                )
        except StorageError as exc:
            now = time.monotonic()
            if now - self._last_warning >= _WARN_EVERY_SECONDS:
                self._last_warning = now
                logger.warning("rate limits not enforced: their storage failed (%s)", exc)
