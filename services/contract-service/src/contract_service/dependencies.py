"""Request dependencies: who is calling (DESIGN §6)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from contract_service.config import get_settings
from datapact_common.tokens import Principal
from datapact_common.web import Auth

auth = Auth(
    secret=lambda: get_settings().datapact_secret_key,
    reads_require_auth=lambda: get_settings().datapact_reads_require_auth,
)


# `async def` although nothing is awaited: FastAPI runs plain `def` dependencies in a
# thread pool, a thread hop per request for a few microseconds of work. The bearer scheme
# is declared in the OpenAPI document by `openapi.customize_openapi`.
async def require_token(request: Request) -> Principal:
    return auth.require(request)


async def read_token(request: Request) -> Principal | None:
    return auth.reader(request)


async def require_service_token(request: Request) -> Principal:
    return auth.require_service(request)


CurrentPrincipal = Annotated[Principal, Depends(require_token)]
ReaderPrincipal = Annotated[Principal | None, Depends(read_token)]
ServicePrincipal = Annotated[Principal, Depends(require_service_token)]
