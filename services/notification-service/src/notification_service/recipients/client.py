"""Reads contracts from the contract-service API, with a short per-process cache."""

from __future__ import annotations

import time
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from datapact_common.token_source import TokenSource
from datapact_common.tokens import Service
from notification_service.config import Settings
from notification_service.recipients.contract import ContractView


class ContractServiceUnavailableError(Exception):
    """The contract-service did not answer usefully; the event is retried later."""


class ContractClient:
    """``get(name)`` → the contract, ``None`` when the registry does not know it."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self._settings = settings
        self._http = httpx.Client(
            base_url=settings.contract_service_url,
            timeout=settings.contract_timeout_seconds,
            transport=transport,
        )
        self._cache: dict[str, tuple[float, ContractView | None]] = {}
        self._tokens = TokenSource(
            settings.datapact_secret_key, Service.NOTIFICATIONS, Service.CONTRACTS
        )

    def get(self, name: str, *, version: str | None = None) -> ContractView | None:
        cached = self._cache.get(name)
        ttl = self._settings.contract_cache_seconds
        if cached is not None and time.monotonic() - cached[0] < ttl:
            contract = cached[1]
            # A newer version than the one cached means subscribers may have changed.
            if contract is not None and (version is None or contract.version == version):
                return contract
        contract = self._fetch(name)
        self._cache[name] = (time.monotonic(), contract)
        return contract

    def _fetch(self, name: str) -> ContractView | None:
        path = f"/api/v1/contracts/name/{quote(name, safe='')}"
        try:
            response = self._http.get(path, headers=self._tokens.headers())
        except httpx.HTTPError as exc:
            raise ContractServiceUnavailableError(f"contract-service unreachable: {exc!r}") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise ContractServiceUnavailableError(
                f"contract-service answered {response.status_code} for {path}"
            )
        try:
            return ContractView.from_document(response.json())
        except (ValueError, ValidationError) as exc:
            raise ContractServiceUnavailableError(
                f"contract-service sent an unreadable document for {name!r}: {exc}"
            ) from exc

    def close(self) -> None:
        self._http.close()
