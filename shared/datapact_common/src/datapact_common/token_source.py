"""The service token one DataPact service presents to another API, kept fresh.

A service token is for one API and lives minutes (:data:`~datapact_common.tokens.SERVICE_TTL`).
Its holder asks a :class:`TokenSource` for it at each request: the source mints one, hands the
same one out while it has more than ``renew_before`` left, and mints the next before it runs
out. Minting is a microsecond HMAC, so the lock (for the sync clients used from worker
threads) is never held for long.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from datapact_common.timeutil import utcnow
from datapact_common.tokens import SERVICE_TTL, Service, service_token


class TokenSource:
    """``caller``'s token for ``api``; ``clock`` is injectable so renewal is testable."""

    def __init__(
        self,
        secret: Callable[[], str] | str,
        caller: Service,
        api: Service,
        *,
        ttl: timedelta = SERVICE_TTL,
        renew_before: timedelta = timedelta(minutes=1),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if renew_before >= ttl:
            raise ValueError("renew_before must be shorter than the token's lifetime")
        self._secret = secret if callable(secret) else (lambda: secret)
        self.caller = caller
        self.api = api
        self._ttl = ttl
        self._renew_before = renew_before
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at: datetime | None = None

    def token(self) -> str:
        now = self._clock()
        with self._lock:
            if self._token is None or self._renew_at is None or now >= self._renew_at:
                self._token = service_token(
                    self._secret(), self.caller, self.api, ttl=self._ttl, now=now
                )
                self._renew_at = now + self._ttl - self._renew_before
            return self._token

    def headers(self) -> dict[str, str]:
        """The ``Authorization`` header of a request to :attr:`api`."""
        return {"Authorization": f"Bearer {self.token()}"}
