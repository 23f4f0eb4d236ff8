"""Tokens for tests, signed with the development secret the services use in ENVIRONMENT=test.

User tokens are for every DataPact API (``aud = ["datapact"]``); a service token is for one
API, as the services mint theirs (docs/security.md).
"""

from __future__ import annotations

from datetime import timedelta

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Scope, Service, create_token, service_token


def publisher_token(team: str, sub: str = "alice", secret: str = DEVELOPMENT_SECRET) -> str:
    return create_token(secret, sub, teams=[team], scopes=[Scope.CONTRACTS_WRITE])


def admin_token(sub: str = "admin", secret: str = DEVELOPMENT_SECRET) -> str:
    return create_token(secret, sub, scopes=[Scope.ADMIN])


# A suite keeps its tokens in module constants for its whole run, longer than the minutes a
# service's own token lives (its TokenSource renews it; that is tested with a controlled clock).
TEST_SERVICE_TTL = timedelta(hours=12)


def internal_service_token(caller: Service, api: Service, secret: str = DEVELOPMENT_SECRET) -> str:
    """``caller``'s token for ``api`` (and no other API)."""
    return service_token(secret, caller, api, ttl=TEST_SERVICE_TTL)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
