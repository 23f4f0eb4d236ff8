"""Contracts from the registry: the active contracts whose endpoint is the agent's own.

``--contracts http://contract-service:8001`` (a registry's base URL instead of a path) with
``AGENT_ENDPOINT_URL`` (where the monitor reaches this agent, as the contracts'
``access.endpoint_url`` name it) pages through ``GET /api/v1/contracts?status=active`` and
keeps the contracts that point at the agent. The list is read again when it is older than
``AGENT_CONTRACTS_REFRESH_SECONDS``; a registry that does not answer keeps the last good
list (an agent started while the registry is down serves no contract until it answers, and
the monitor reports those contracts as not measured — never as passing).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from datapact_agent.contracts.catalogue import Catalogue, ContractsError
from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import parse_contract
from datapact_common.exceptions import DataPactError

logger = logging.getLogger(__name__)
PAGE_SIZE = 500
MAX_PAGES = 200  # 100,000 active contracts: far more than one registry holds
RETRY_SECONDS = 5.0  # until the first list is read


def same_endpoint(a: str, b: str) -> bool:
    """Two endpoint URLs name the same service (case of scheme and host, default port and a
    trailing slash aside)."""

    def key(url: str) -> tuple[str, str, int | None, str]:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        default = {"http": 80, "https": 443}.get(scheme)
        port = parts.port if parts.port != default else None
        return scheme, (parts.hostname or "").lower(), port, parts.path.rstrip("/")

    try:
        return key(a) == key(b)
    except ValueError:
        return False


def is_registry(contracts: str) -> bool:
    return contracts.startswith(("http://", "https://"))


class RegistryStore:
    """The current catalogue, read from the registry and refreshed when stale."""

    def __init__(
        self,
        base_url: str,
        endpoint_url: str,
        *,
        token: str,
        table_map: dict[str, str],
        refresh_seconds: float,
        timeout_seconds: float = 10.0,
    ) -> None:
        if not endpoint_url:
            raise ContractsError(
                "contracts from the registry need AGENT_ENDPOINT_URL: where the monitor "
                "reaches this agent, as the contracts' access.endpoint_url names it"
            )
        self.base_url = base_url.rstrip("/")
        self.endpoint_url = endpoint_url
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.table_map = table_map
        self.refresh_seconds = refresh_seconds
        self.timeout = timeout_seconds
        self._catalogue = Catalogue((), {})
        self._read_at: float | None = None
        self._tried_at = float("-inf")
        self._lock = asyncio.Lock()

    def _stale(self) -> bool:
        now = time.monotonic()
        if self._read_at is None:
            return now - self._tried_at >= RETRY_SECONDS
        return now - self._read_at >= self.refresh_seconds

    async def current(self) -> Catalogue:
        if not self._stale():
            return self._catalogue
        async with self._lock:
            if self._stale():
                self._tried_at = time.monotonic()
                try:
                    self._catalogue = await self.read()
                    self._read_at = time.monotonic()
                except (httpx.HTTPError, ContractsError, ValueError) as exc:
                    logger.error("keeping the previous contracts: registry: %s", exc)
        return self._catalogue

    async def read(self) -> Catalogue:
        contracts: list[ContractDefinition] = []
        async with httpx.AsyncClient(
            timeout=self.timeout, headers=self.headers, follow_redirects=False
        ) as client:
            skip = 0
            for _ in range(MAX_PAGES):
                response = await client.get(
                    f"{self.base_url}/api/v1/contracts",
                    params={"status": "active", "limit": PAGE_SIZE, "skip": skip},
                )
                if response.status_code != 200:
                    raise ContractsError(
                        f"{self.base_url} answered {response.status_code} listing contracts"
                    )
                body = response.json()
                page: list[Any] = body.get("contracts") or []
                contracts += [c for c in map(self._ours, page) if c is not None]
                skip += len(page)
                total = body.get("total")
                if not page or (isinstance(total, int) and skip >= total):
                    break
        tables = {c.name: self.table_map.get(c.name, c.effective_table) for c in contracts}
        logger.info("%d contract(s) of %s read from the registry", len(contracts), self.base_url)
        return Catalogue(tuple(contracts), tables)

    def _ours(self, document: Any) -> ContractDefinition | None:
        if not isinstance(document, dict):
            return None
        access = document.get("access")
        endpoint = access.get("endpoint_url") if isinstance(access, dict) else None
        if not isinstance(endpoint, str) or not same_endpoint(endpoint, self.endpoint_url):
            return None
        try:
            return parse_contract(document)
        except DataPactError as exc:
            logger.warning("skipping registered contract %s: %s", document.get("name"), exc)
            return None
