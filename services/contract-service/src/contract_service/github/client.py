"""A small GitHub REST client (httpx) with the behaviours the check relies on.

- Retries: 5xx, network errors and rate limits (403/429 with ``x-ratelimit-remaining: 0``
  or ``retry-after``) back off and try again; a wait longer than ``max_retry_wait`` is not
  slept here but raised as :class:`GitHubTransientError` so the Celery task retries later.
- Pagination follows ``Link: <...>; rel="next"`` verbatim (GitHub may switch to
  ``/repositories/{id}/...`` URLs) but never leaves the API host.
- Contents at a ref: base64 with embedded newlines; files over 1 MB come back without
  content and are fetched again with the raw media type; 404 means "absent at that ref".
"""

from __future__ import annotations

import asyncio
import base64
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from contract_service.github.auth import API_HEADERS, Credentials
from contract_service.github.errors import GitHubError, GitHubTransientError, raise_for_status

RAW_MEDIA_TYPE = "application/vnd.github.raw+json"
MAX_ANNOTATIONS_PER_REQUEST = 50
PER_PAGE = 100
_RETRY_STATUSES = frozenset({500, 502, 503, 504})

Sleep = Callable[[float], Awaitable[None]]


class FileUnavailableError(GitHubError):
    """A file that exists but cannot be analysed (too large, binary, a directory)."""


def segment(value: str) -> str:
    """One URL path segment (owner, repo, branch), quoted."""
    return quote(value, safe="")


def repo_path(owner: str, repo: str) -> str:
    return f"/repos/{segment(owner)}/{segment(repo)}"


class GitHubClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        api_url: str,
        credentials: Credentials,
        *,
        max_retries: int = 4,
        max_retry_wait: float = 60.0,
        backoff_base: float = 0.5,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.http = http
        self.api_url = api_url.rstrip("/")
        self.credentials = credentials
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self.backoff_base = backoff_base
        self._sleep = sleep
        self._api_origin = _origin(self.api_url)

    # -- transport -------------------------------------------------------------------
    def _url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            if _origin(path_or_url) != self._api_origin:
                raise GitHubError(f"refusing to follow a URL off the API host: {path_or_url}")
            return path_or_url
        return f"{self.api_url}{path_or_url}"

    async def request(
        self,
        method: str,
        path_or_url: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        accept: str | None = None,
        allow: tuple[int, ...] = (),
        doing: str = "",
    ) -> httpx.Response:
        """Send with retries; a status in ``allow`` (e.g. 404) is returned, not raised."""
        url = self._url(path_or_url)
        refreshed = False
        attempt = 0
        while True:
            headers = dict(API_HEADERS)
            if accept:
                headers["Accept"] = accept
            headers["Authorization"] = await self.credentials.authorization(
                self.http, refresh=refreshed
            )
            try:
                response = await self.http.request(
                    method, url, json=json, params=params, headers=headers
                )
            except httpx.TransportError as exc:
                if attempt >= self.max_retries:
                    raise GitHubTransientError(
                        f"GitHub unreachable {doing}: {exc}", url=url
                    ) from exc
                await self._sleep(self._backoff(attempt))
                attempt += 1
                continue
            status = response.status_code
            if status in allow or response.is_success:
                return response
            if status == 401 and self.credentials.is_app and not refreshed:
                refreshed = True  # a revoked or expired installation token: get a new one
                continue
            wait = self._retry_wait(response, attempt)
            if wait is None:
                raise_for_status(response, doing or f"to {method} {urlsplit(url).path}")
                return response  # unreachable: raise_for_status raised
            if attempt >= self.max_retries or wait > self.max_retry_wait:
                raise GitHubTransientError(
                    f"GitHub answered {status} {doing} (retry in {wait:.0f} s)",
                    status=status,
                    url=url,
                    retry_after=wait,
                )
            await self._sleep(wait)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        return float(self.backoff_base * (2**attempt) * (0.5 + random.random()))  # noqa: S311

    def _retry_wait(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when the error is not worth retrying."""
        status = response.status_code
        headers = response.headers
        if status in _RETRY_STATUSES:
            return self._backoff(attempt)
        if status not in (403, 429):
            return None
        retry_after = headers.get("retry-after")
        if retry_after is not None:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                return 60.0
        if headers.get("x-ratelimit-remaining") == "0":
            reset = headers.get("x-ratelimit-reset")
            if reset and reset.isdigit():
                return max(0.0, int(reset) - time.time()) + 1.0
            return 60.0
        if status == 429:
            return max(self._backoff(attempt), 1.0)
        return None  # a plain 403: permissions, not a rate limit

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.request(method, path, **kwargs)
        return response.json()

    async def paginate(
        self, path: str, params: dict[str, Any] | None = None, *, limit: int | None = None
    ) -> AsyncIterator[Any]:
        """Every item of a list endpoint, page after page (``Link: rel="next"``)."""
        url: str | None = path
        query: dict[str, Any] | None = {"per_page": PER_PAGE, **(params or {})}
        count = 0
        while url is not None:
            response = await self.request("GET", url, params=query, doing=f"listing {path}")
            items = response.json()
            if not isinstance(items, list):
                raise GitHubError(f"expected a list from {path}, got {type(items).__name__}")
            for item in items:
                yield item
                count += 1
                if limit is not None and count >= limit:
                    return
            next_link = response.links.get("next", {}).get("url")
            url, query = (next_link, None) if next_link else (None, None)

    # -- endpoints -------------------------------------------------------------------
    async def pull_request_files(
        self, owner: str, repo: str, number: int, *, limit: int = 3000
    ) -> list[dict[str, Any]]:
        path = f"{repo_path(owner, repo)}/pulls/{number}/files"
        return [item async for item in self.paginate(path, limit=limit)]

    async def compare_files(
        self, owner: str, repo: str, base: str, head: str
    ) -> list[dict[str, Any]]:
        path = f"{repo_path(owner, repo)}/compare/{segment(base)}...{segment(head)}"
        body = await self.json("GET", path, doing="comparing commits")
        files = body.get("files") if isinstance(body, dict) else None
        return list(files) if isinstance(files, list) else []

    async def file_text(
        self, owner: str, repo: str, path: str, ref: str, *, max_bytes: int
    ) -> str | None:
        """The file's text at ``ref``; ``None`` when it does not exist there."""
        url = f"{repo_path(owner, repo)}/contents/{quote(path, safe='/')}"
        response = await self.request(
            "GET", url, params={"ref": ref}, allow=(404,), doing=f"reading {path}@{ref[:12]}"
        )
        if response.status_code == 404:
            return None
        body = response.json()
        if not isinstance(body, dict) or body.get("type") != "file":
            raise FileUnavailableError(f"{path} is not a file at {ref[:12]}")
        size = int(body.get("size") or 0)
        if size > max_bytes:
            raise FileUnavailableError(f"{path} is {size} bytes, over the {max_bytes} limit")
        content = body.get("content") or ""
        if body.get("encoding") == "base64" and (content or size == 0):
            data = base64.b64decode(content)  # ignores the embedded newlines
        else:  # over 1 MB: the JSON carries no content, ask for the raw bytes
            raw = await self.request(
                "GET", url, params={"ref": ref}, accept=RAW_MEDIA_TYPE, doing=f"reading {path}"
            )
            data = raw.content
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileUnavailableError(f"{path} is not UTF-8 text") from exc

    async def create_check_run(self, owner: str, repo: str, body: dict[str, Any]) -> dict[str, Any]:
        result = await self.json(
            "POST", f"{repo_path(owner, repo)}/check-runs", json=body, doing="creating a check run"
        )
        return dict(result)

    async def update_check_run(
        self, owner: str, repo: str, check_run_id: int, body: dict[str, Any]
    ) -> dict[str, Any]:
        result = await self.json(
            "PATCH",
            f"{repo_path(owner, repo)}/check-runs/{check_run_id}",
            json=body,
            doing="updating the check run",
        )
        return dict(result)

    async def check_runs_for_ref(
        self, owner: str, repo: str, ref: str, name: str
    ) -> list[dict[str, Any]]:
        body = await self.json(
            "GET",
            f"{repo_path(owner, repo)}/commits/{segment(ref)}/check-runs",
            params={"check_name": name},
            doing="listing check runs",
        )
        runs = body.get("check_runs") if isinstance(body, dict) else None
        return list(runs) if isinstance(runs, list) else []

    async def create_commit_status(
        self, owner: str, repo: str, sha: str, body: dict[str, Any]
    ) -> None:
        await self.request(
            "POST",
            f"{repo_path(owner, repo)}/statuses/{segment(sha)}",
            json=body,
            doing="setting the commit status",
        )

    async def issue_comments(self, owner: str, repo: str, number: int) -> list[dict[str, Any]]:
        path = f"{repo_path(owner, repo)}/issues/{number}/comments"
        return [item async for item in self.paginate(path)]

    async def create_issue_comment(
        self, owner: str, repo: str, number: int, body: str
    ) -> dict[str, Any]:
        result = await self.json(
            "POST",
            f"{repo_path(owner, repo)}/issues/{number}/comments",
            json={"body": body},
            doing="commenting on the pull request",
        )
        return dict(result)

    async def update_issue_comment(
        self, owner: str, repo: str, comment_id: int, body: str
    ) -> dict[str, Any]:
        result = await self.json(
            "PATCH",
            f"{repo_path(owner, repo)}/issues/comments/{comment_id}",
            json={"body": body},
            doing="updating the pull request comment",
        )
        return dict(result)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()
