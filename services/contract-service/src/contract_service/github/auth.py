"""How the worker authenticates to GitHub: a GitHub App installation token, or a plain token.

App auth signs a short-lived RS256 JWT (``iat`` 60 s in the past against clock drift, ``exp``
9 minutes ahead, GitHub allows 10, ``iss`` = the App id) and exchanges it for an installation
token, cached per installation until a minute before its ``expires_at``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import httpx
import jwt

from contract_service.github.errors import GitHubConfigError, raise_for_status

API_HEADERS = {
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
    "User-Agent": "datapact-contract-service",
}
JWT_BACKDATE_SECONDS = 60
JWT_LIFETIME_SECONDS = 9 * 60
REFRESH_MARGIN_SECONDS = 60


class Credentials(Protocol):
    """Produces the ``Authorization`` header value for API calls."""

    is_app: bool

    async def authorization(self, http: httpx.AsyncClient, *, refresh: bool = False) -> str: ...


@dataclass
class TokenCredentials:
    token: str
    is_app: bool = False

    async def authorization(self, http: httpx.AsyncClient, *, refresh: bool = False) -> str:
        return f"Bearer {self.token}"


def app_jwt(app_id: str, private_key_pem: str, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time()) - JWT_BACKDATE_SECONDS
    claims = {"iat": issued, "exp": issued + JWT_BACKDATE_SECONDS + JWT_LIFETIME_SECONDS}
    claims_with_issuer: dict[str, object] = {**claims, "iss": app_id}
    try:
        return jwt.encode(claims_with_issuer, private_key_pem, algorithm="RS256")
    except (ValueError, TypeError, jwt.PyJWTError) as exc:
        raise GitHubConfigError(f"GITHUB_APP_PRIVATE_KEY cannot sign a JWT: {exc}") from exc


# Installation tokens by (API URL, App id, installation id): (token, expiry as epoch seconds).
_TOKEN_CACHE: dict[tuple[str, str, int], tuple[str, float]] = {}


def clear_token_cache() -> None:
    _TOKEN_CACHE.clear()


@dataclass
class AppInstallationCredentials:
    api_url: str
    app_id: str
    private_key_pem: str
    installation_id: int
    is_app: bool = True

    def jwt_header(self) -> str:
        return f"Bearer {app_jwt(self.app_id, self.private_key_pem)}"

    async def authorization(self, http: httpx.AsyncClient, *, refresh: bool = False) -> str:
        key = (self.api_url, self.app_id, self.installation_id)
        cached = _TOKEN_CACHE.get(key)
        if cached and not refresh and cached[1] - REFRESH_MARGIN_SECONDS > time.time():
            return f"Bearer {cached[0]}"
        url = f"{self.api_url}/app/installations/{self.installation_id}/access_tokens"
        response = await http.post(url, headers={**API_HEADERS, "Authorization": self.jwt_header()})
        raise_for_status(response, "exchanging the App JWT for an installation token")
        body = response.json()
        token = str(body["token"])
        expires_at = _epoch(body.get("expires_at"))
        _TOKEN_CACHE[key] = (token, expires_at)
        return f"Bearer {token}"


def _epoch(value: object) -> float:
    """``expires_at`` (ISO 8601, ``Z``) as epoch seconds; one hour when GitHub omits it."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            pass
    return time.time() + 3600
