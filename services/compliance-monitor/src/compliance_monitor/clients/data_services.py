"""Reading a data service: ``/schema``, ``/metrics`` and the ``/health`` probe."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import httpx

from compliance_monitor.checks.availability_checker import Probe
from compliance_monitor.clients.credentials import CredentialPolicy
from compliance_monitor.clients.http import (
    ResponseError,
    RetryPolicy,
    describe_transport_error,
    get_json_limited,
    parse_json,
)

# /health answers a small JSON object (docs/data-service-protocol.md); anything else is not
# a data service, whatever its status.
HEALTH_MAX_BYTES = 64 * 1024
NOT_THE_PROTOCOL = "but not a JSON object: not speaking the data service protocol"


class DataServiceClient:
    """Reads allow-listed data services only (the caller checks the host).

    Each request carries the credential the operator chose for that data service
    (``MONITOR_DATA_SERVICE_CREDENTIALS``; by default a minutes-lived token for its origin
    alone), never a DataPact token: a data service is run by a team, and a team can point a
    contract at a listener of its own.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        policy: RetryPolicy,
        credentials: CredentialPolicy,
        deadline: float,
    ) -> None:
        self.http = http
        self.policy = policy
        self.credentials = credentials
        # Bounds each request as a whole (MONITOR_HTTP_TIMEOUT_SECONDS), not only each read.
        self.deadline = deadline

    async def document(
        self, base: str, path: str, params: Mapping[str, str] | None = None
    ) -> Mapping[str, Any]:
        """``GET {base}{path}`` (with ``params``) as a JSON object; raises
        :class:`ResponseError` saying why not."""
        _, body = await get_json_limited(
            self.http,
            self.policy,
            f"{base}{path}",
            headers=self.credentials.headers(base),
            params=params,
            deadline=self.deadline,
        )
        if not isinstance(body, Mapping):
            raise ResponseError(f"{path} did not return a JSON object")
        return body

    async def probe(self, base: str) -> Probe:
        """One availability probe. Not retried: a retry would hide the outage it measures."""
        try:
            headers = self.credentials.headers(base)
        except ValueError as exc:
            return Probe(base, ok=False, error=f"invalid URL: {exc}")
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.deadline):
                async with self.http.stream("GET", f"{base}/health", headers=headers) as response:
                    body = await _read_at_most(response, HEALTH_MAX_BYTES)
        except TimeoutError:
            return Probe(base, ok=False, error=f"timed out (no answer within {self.deadline} s)")
        except httpx.TransportError as exc:
            return Probe(base, ok=False, error=describe_transport_error(exc))
        except httpx.InvalidURL as exc:
            return Probe(base, ok=False, error=f"invalid URL: {exc}")
        latency = round((time.perf_counter() - started) * 1000, 2)
        ok = 200 <= response.status_code < 300
        error = None if ok else f"HTTP {response.status_code}"
        if ok and not _json_object(body):
            ok, error = False, f"answered {response.status_code} {NOT_THE_PROTOCOL}"
        return Probe(base, ok=ok, status_code=response.status_code, error=error, latency_ms=latency)


async def _read_at_most(response: httpx.Response, limit: int) -> bytes | None:
    """The body, or None when it is longer than ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _json_object(body: bytes | None) -> bool:
    if body is None:
        return False
    try:
        return isinstance(parse_json(body), Mapping)
    except ResponseError:
        return False
