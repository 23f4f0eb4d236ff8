"""Wiring a Synchronizer from the settings (used by the app and the rebuild command)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from datapact_common.token_source import TokenSource
from datapact_common.tokens import Service
from dictionary_service.config import Settings
from dictionary_service.sync.client import ContractServiceClient
from dictionary_service.sync.service import Synchronizer


def make_synchronizer(
    settings: Settings, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> Synchronizer:
    # A service token, so the sync still reads when DATAPACT_READS_REQUIRE_AUTH is on.
    tokens = TokenSource(settings.datapact_secret_key, Service.DICTIONARY, Service.CONTRACTS)

    def client_factory() -> ContractServiceClient:
        return ContractServiceClient(
            settings.contract_service_url,
            tokens=tokens,
            timeout=settings.contract_service_timeout_seconds,
            page_size=settings.sync_page_size,
        )

    return Synchronizer(
        engine,
        sessionmaker,
        client_factory,
        overlap=timedelta(seconds=settings.sync_overlap_seconds),
    )
