"""Reads contracts from the contract-service list API, page by page (docs/interfaces.md).

``GET /api/v1/contracts?updated_since=...&limit=500`` ordered by ``(updated_at, id)``,
following ``next_cursor`` until it is null (docs/design.md §10, defect 1: never stop at one page).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from datapact_common.token_source import TokenSource

CONTRACTS_PATH = "/api/v1/contracts"


class ContractServiceError(Exception):
    """The contract-service could not be read (down, timing out, or answering garbage)."""


class ContractPage(BaseModel):
    contracts: list[dict[str, Any]]
    next_cursor: str | None = None


class ContractServiceClient:
    def __init__(
        self,
        base_url: str,
        *,
        tokens: TokenSource | None = None,
        timeout: float = 10.0,
        page_size: int = 500,
    ) -> None:
        async def authorize(request: httpx.Request) -> None:
            # At each request: a long sync outlives one minutes-lived token.
            if tokens is not None:
                request.headers.update(tokens.headers())

        self._http = httpx.AsyncClient(
            base_url=base_url, timeout=timeout, event_hooks={"request": [authorize]}
        )
        self.page_size = page_size

    async def pages(self, updated_since: datetime) -> AsyncGenerator[list[dict[str, Any]]]:
        """Every contract updated at or after ``updated_since``, one page at a time."""
        base = {"updated_since": updated_since.isoformat(), "limit": str(self.page_size)}
        params = dict(base)
        seen_cursors: set[str] = set()
        while True:
            page = await self._get_page(params)
            yield page.contracts
            cursor = page.next_cursor
            if not cursor:
                return
            if cursor in seen_cursors:
                raise ContractServiceError(f"contract-service returned cursor {cursor!r} twice")
            seen_cursors.add(cursor)
            params = {**base, "cursor": cursor}

    async def _get_page(self, params: dict[str, str]) -> ContractPage:
        try:
            response = await self._http.get(CONTRACTS_PATH, params=params)
        except httpx.HTTPError as exc:
            raise ContractServiceError(
                f"contract-service unreachable at {self._http.base_url}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if response.status_code != 200:
            raise ContractServiceError(
                f"contract-service answered HTTP {response.status_code} to "
                f"GET {CONTRACTS_PATH}: {response.text[:300]}"
            )
        try:
            return ContractPage.model_validate_json(response.content)
        except ValidationError as exc:
            raise ContractServiceError(
                f"contract-service list response has an unexpected shape: {exc}"
            ) from exc

    async def aclose(self) -> None:
        await self._http.aclose()
