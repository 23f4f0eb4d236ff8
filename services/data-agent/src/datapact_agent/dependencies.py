"""Typed dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from datapact_agent.agent import Agent
from datapact_agent.contracts.catalogue import Catalogue, ContractStore
from datapact_agent.contracts.registry import RegistryStore
from datapact_common.data_service_auth import DataServiceAuth
from datapact_common.tokens import Principal
from datapact_common.web.lifespan import from_state, state_value

get_agent = from_state("agent", Agent)


async def get_catalogue(request: Request) -> Catalogue:
    store: ContractStore | RegistryStore = request.app.state.contracts
    return await store.current()


async def read_auth(request: Request) -> Principal | None:
    """``auth.reader`` of this app's settings (``app.state.auth``: each app has its own)."""
    return await state_value(request, "auth", DataServiceAuth).reader(request)


AgentDep = Annotated[Agent, Depends(get_agent)]
CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
# Reads are open unless DATAPACT_READS_REQUIRE_AUTH=true; a token, when sent, is verified.
ReaderPrincipal = Annotated[Principal | None, Depends(read_auth)]
