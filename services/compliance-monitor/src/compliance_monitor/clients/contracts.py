"""The contract-service API: active contracts (every page), single contracts, recording."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from compliance_monitor.checks.base import CheckResult
from compliance_monitor.clients.http import RetryPolicy, describe_transport_error, request
from compliance_monitor.errors import UpstreamUnavailableError
from datapact_common.token_source import TokenSource

log = logging.getLogger(__name__)


class ContractServiceClient:
    def __init__(
        self, http: httpx.AsyncClient, base_url: str, tokens: TokenSource, policy: RetryPolicy
    ) -> None:
        self.http = http
        self.base_url = base_url
        self.policy = policy
        self.tokens = tokens

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        try:
            return await request(
                self.http,
                self.policy,
                "GET",
                f"{self.base_url}{path}",
                params=params,
                headers=self.tokens.headers(),
            )
        except httpx.TransportError as exc:
            raise UpstreamUnavailableError(
                f"contract-service unreachable at {self.base_url}: {describe_transport_error(exc)}"
            ) from exc

    async def active_contracts(self, page_size: int) -> list[dict[str, Any]]:
        """Every active contract, page by page (docs/design.md §10.11: not only the first page)."""
        contracts: dict[str, dict[str, Any]] = {}
        skip = 0
        while True:
            response = await self._get(
                "/api/v1/contracts", {"status": "active", "limit": page_size, "skip": skip}
            )
            if response.status_code != 200:
                raise UpstreamUnavailableError(
                    f"contract-service answered {response.status_code} listing contracts: "
                    f"{response.text[:300]}"
                )
            body = response.json()
            page = body.get("contracts") or []
            for document in page:
                if isinstance(document, dict) and document.get("id"):
                    contracts.setdefault(str(document["id"]), document)
            skip += len(page)
            total = body.get("total")
            if not page or (isinstance(total, int) and skip >= total):
                return list(contracts.values())

    async def contract(self, contract_id: str) -> dict[str, Any] | None:
        return await self._document(f"/api/v1/contracts/{contract_id}")

    async def contract_by_name(self, name: str) -> dict[str, Any] | None:
        return await self._document(f"/api/v1/contracts/name/{name}")

    async def _document(self, path: str) -> dict[str, Any] | None:
        response = await self._get(path)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise UpstreamUnavailableError(
                f"contract-service answered {response.status_code} for {path}: "
                f"{response.text[:300]}"
            )
        document = response.json()
        return document if isinstance(document, dict) else None

    async def record(self, contract_id: str, result: CheckResult) -> bool:
        """Record one result; False (logged) when the contract-service would not take it."""
        url = f"{self.base_url}/api/v1/contracts/{contract_id}/compliance"
        try:
            response = await request(
                self.http,
                self.policy,
                "POST",
                url,
                json=result.record_body(),
                headers=self.tokens.headers(),
            )
        except httpx.TransportError as exc:
            log.warning("recording %s for %s failed: %s", result.check_type, contract_id, exc)
            return False
        if response.status_code >= 300:
            log.warning(
                "recording %s for %s: contract-service answered %s: %s",
                result.check_type,
                contract_id,
                response.status_code,
                response.text[:300],
            )
            return False
        return True
