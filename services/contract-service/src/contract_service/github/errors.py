"""Errors of the GitHub integration; ``transient`` ones make the Celery task retry later."""

from __future__ import annotations

import httpx

from datapact_common.exceptions import DataPactError


class GitHubError(Exception):
    transient = False

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.url = url


class GitHubConfigError(GitHubError):
    """The integration is not configured well enough to talk to GitHub."""


class GitHubTransientError(GitHubError):
    """5xx, network failure or rate limit: trying again later should work."""

    transient = True

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        url: str | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(message, status=status, url=url)
        self.retry_after = retry_after


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return response.text[:300]


def raise_for_status(response: httpx.Response, doing: str) -> None:
    if response.is_success:
        return
    status = response.status_code
    text = f"GitHub answered {status} {doing}: {_message(response)}"
    url = str(response.request.url) if response.request else None
    if status >= 500 or status == 429:
        raise GitHubTransientError(text, status=status, url=url)
    raise GitHubError(text, status=status, url=url)


class WebhookPayloadError(DataPactError):
    """A signed delivery whose body is not the event it claims to be."""

    status_code = 422
