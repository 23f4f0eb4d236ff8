"""Retries with exponential backoff, response size limits and the host allow-list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_none,
)

# Statuses worth another try: the server is overloaded or restarting.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


class _RetryableStatusError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


@dataclass(frozen=True)
class RetryPolicy:
    retries: int
    backoff: float

    def retrying(self) -> AsyncRetrying:
        wait = (
            wait_exponential(multiplier=self.backoff, min=self.backoff, max=30)
            if self.backoff > 0
            else wait_none()
        )
        return AsyncRetrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=wait,
            retry=retry_if_exception_type((httpx.TransportError, _RetryableStatusError)),
            reraise=True,
        )


async def request(
    client: httpx.AsyncClient, policy: RetryPolicy, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    """Send with retries on transport errors and 429/502/503/504.

    Returns the last response (even a retryable one once retries are exhausted);
    raises ``httpx.TransportError`` when the server never answered.
    """
    try:
        async for attempt in policy.retrying():
            with attempt:
                response = await client.request(method, url, **kwargs)
                if response.status_code in RETRY_STATUSES:
                    raise _RetryableStatusError(response)
                return response
    except _RetryableStatusError as exc:
        return exc.response
    raise AssertionError("unreachable: tenacity either returns or raises")


async def get_json_limited(
    client: httpx.AsyncClient,
    policy: RetryPolicy,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    max_bytes: int = MAX_RESPONSE_BYTES,
) -> tuple[int, Any]:
    """GET a JSON document without ever buffering more than ``max_bytes``.

    Returns ``(status, parsed body)``; raises :class:`ResponseError` with a readable reason.
    """

    async def once() -> tuple[int, bytes]:
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code in RETRY_STATUSES:
                await response.aread()
                raise _RetryableStatusError(response)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ResponseError(f"response larger than {max_bytes} bytes")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise ResponseError(f"response larger than {max_bytes} bytes")
                chunks.append(chunk)
            return response.status_code, b"".join(chunks)

    try:
        async for attempt in policy.retrying():
            with attempt:
                status, body = await once()
                break
    except _RetryableStatusError as exc:
        raise ResponseError(f"HTTP {exc.response.status_code}") from exc
    except httpx.TimeoutException as exc:
        raise ResponseError(f"timed out ({type(exc).__name__})") from exc
    except httpx.TransportError as exc:
        raise ResponseError(describe_transport_error(exc)) from exc
    if not 200 <= status < 300:
        raise ResponseError(f"HTTP {status}")
    try:
        return status, json.loads(body)
    except ValueError as exc:
        raise ResponseError(f"response is not JSON: {exc}") from exc


class ResponseError(Exception):
    """A data service could not be read; the message says why."""


def describe_transport_error(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {exc}" if str(exc) else "cannot connect"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def endpoint_host(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    return host.lower()


def host_allowed(url: str, allowed: frozenset[str]) -> bool:
    """True when ``url`` is http(s) and its host is exactly one of ``allowed``."""
    host = endpoint_host(url)
    return host is not None and host in allowed


def base_url(endpoint_url: str) -> str:
    return endpoint_url.strip().rstrip("/")
