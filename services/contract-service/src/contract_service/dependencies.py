"""Request dependencies: who is calling (DESIGN §6)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from contract_service.config import get_settings
from datapact_common.tokens import Principal
from datapact_common.web import Auth

auth = Auth(
    secret=lambda: get_settings().datapact_secret_key,
    reads_require_auth=lambda: get_settings().datapact_reads_require_auth,
)

# Declares the bearer scheme in the OpenAPI document; the token itself is checked by `auth`.
_bearer = HTTPBearer(auto_error=False, description="DataPact token (datapact token create)")
_BearerDoc = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _writer(request: Request, _: _BearerDoc) -> Principal:
    return auth.require(request)


def _reader(request: Request, _: _BearerDoc) -> Principal | None:
    return auth.reader(request)


def _service(request: Request, _: _BearerDoc) -> Principal:
    return auth.require_service(request)


reader_dependency = _reader  # its routes document the token as optional

CurrentPrincipal = Annotated[Principal, Depends(_writer)]
ReaderPrincipal = Annotated[Principal | None, Depends(_reader)]
ServicePrincipal = Annotated[Principal, Depends(_service)]
