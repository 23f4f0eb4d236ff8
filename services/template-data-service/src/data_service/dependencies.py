"""Typed dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from data_service.catalog.store import Catalog, ContractStore
from data_service.config import Settings
from datapact_common.ratelimit import RateLimiter, RateLimitGroup
from datapact_common.tokens import Principal
from datapact_common.web import Auth


def get_settings_from_app(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_catalog(request: Request) -> Catalog:
    store: ContractStore = request.app.state.contracts
    return await store.current()


async def _reader(request: Request) -> Principal | None:
    auth: Auth = request.app.state.auth
    return auth.read(request)


async def _searches_limit(request: Request) -> None:
    limiter: RateLimiter = request.app.state.rate_limiter
    await limiter.check(request, RateLimitGroup.SEARCHES)


# Per-caller rate limit of the dataset routes (the monitor's service token is not limited).
SEARCHES_LIMIT = Depends(_searches_limit)
SettingsDep = Annotated[Settings, Depends(get_settings_from_app)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
# Reads are open unless DATAPACT_READS_REQUIRE_AUTH=true; a token, when sent, is verified.
ReaderDep = Annotated[Principal | None, Depends(_reader)]
