"""Building an authenticated :class:`GitHubClient` for one delivery from the settings."""

from __future__ import annotations

import httpx

from contract_service.github.auth import (
    API_HEADERS,
    AppInstallationCredentials,
    Credentials,
    TokenCredentials,
    app_jwt,
)
from contract_service.github.client import GitHubClient, repo_path
from contract_service.github.config import GitHubSettings
from contract_service.github.errors import GitHubConfigError, raise_for_status


async def installation_for(
    http: httpx.AsyncClient, settings: GitHubSettings, owner: str, repo: str
) -> int:
    """The App installation on a repository (for deliveries that do not name one)."""
    assert settings.github_app_id is not None
    token = app_jwt(settings.github_app_id, settings.private_key_pem())
    response = await http.get(
        f"{settings.github_api_url}{repo_path(owner, repo)}/installation",
        headers={**API_HEADERS, "Authorization": f"Bearer {token}"},
    )
    raise_for_status(response, "looking up the App installation")
    return int(response.json()["id"])


async def credentials_for(
    http: httpx.AsyncClient,
    settings: GitHubSettings,
    installation_id: int | None,
    owner: str,
    repo: str,
) -> Credentials:
    if settings.uses_app:
        assert settings.github_app_id is not None
        try:
            pem = settings.private_key_pem()
        except ValueError as exc:
            raise GitHubConfigError(str(exc)) from exc
        if installation_id is None:
            installation_id = await installation_for(http, settings, owner, repo)
        return AppInstallationCredentials(
            settings.github_api_url, settings.github_app_id, pem, installation_id
        )
    if settings.github_token is not None and settings.github_token.get_secret_value():
        return TokenCredentials(settings.github_token.get_secret_value())
    raise GitHubConfigError(
        "no GitHub credentials: set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY, or GITHUB_TOKEN"
    )


async def client_for(
    http: httpx.AsyncClient,
    settings: GitHubSettings,
    installation_id: int | None,
    owner: str,
    repo: str,
) -> GitHubClient:
    credentials = await credentials_for(http, settings, installation_id, owner, repo)
    return GitHubClient(
        http,
        settings.github_api_url,
        credentials,
        max_retries=settings.github_max_retries,
        max_retry_wait=settings.github_max_retry_wait_seconds,
    )
