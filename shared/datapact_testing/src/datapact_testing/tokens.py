"""Tokens for tests, signed with the development secret the services use in ENVIRONMENT=test."""

from __future__ import annotations

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Scope, create_token, service_token


def publisher_token(team: str, sub: str = "alice", secret: str = DEVELOPMENT_SECRET) -> str:
    return create_token(secret, sub, teams=[team], scopes=[Scope.CONTRACTS_WRITE])


def admin_token(sub: str = "admin", secret: str = DEVELOPMENT_SECRET) -> str:
    return create_token(secret, sub, scopes=[Scope.ADMIN])


def internal_service_token(name: str = "test", secret: str = DEVELOPMENT_SECRET) -> str:
    return service_token(secret, name)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
