"""The registry (contract-service) API as the CLI uses it, with readable errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from datapact_cli.errors import CliError, ExitCode
from datapact_common.contract_schema import ContractDefinition

API = "/api/v1/contracts"


@dataclass
class Conflict:
    """A 409 from the registry: the reason and, for a too small bump, the change list."""

    detail: str
    body: dict[str, Any]


class ConflictRefused(CliError):  # noqa: N818 - it is a refusal, reported like an error
    def __init__(self, conflict: Conflict) -> None:
        super().__init__(conflict.detail, ExitCode.INVALID)
        self.conflict = conflict


class RegistryClient:
    def __init__(self, url: str, token: str | None, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        headers = {"Accept": "application/json", "User-Agent": "datapact-cli"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- calls -----------------------------------------------------------------------------
    def get_by_name(self, name: str) -> dict[str, Any] | None:
        response = self._request("GET", f"{API}/name/{quote(name, safe='')}")
        if response.status_code == 404:
            return None
        return self._json(response)

    def get_version(self, contract_id: str, version: str) -> dict[str, Any]:
        path = f"{API}/{contract_id}/versions/{quote(version, safe='')}"
        return self._json(self._request("GET", path))

    def list_page(self, *, skip: int, limit: int) -> dict[str, Any]:
        params = {"skip": skip, "limit": limit, "sort": "name"}
        return self._json(self._request("GET", API, params=params))

    def create(self, contract: ContractDefinition) -> dict[str, Any]:
        return self._json(self._request("POST", API, json=contract.to_document()))

    def update(
        self, contract_id: str, contract: ContractDefinition, if_match: str | None = None
    ) -> dict[str, Any]:
        """PUT the document; ``if_match``: the version the edit is based on (412 if the
        registry has moved on since)."""
        headers = {"If-Match": f'"{if_match}"'} if if_match else {}
        return self._json(
            self._request(
                "PUT", f"{API}/{contract_id}", json=contract.to_document(), headers=headers
            )
        )

    def import_odcs(
        self, document: dict[str, Any], *, team: str | None, owner: str | None, dry_run: bool
    ) -> dict[str, Any]:
        """The registry's import of an ODCS document (object by object, keyed by its id)."""
        params = {key: value for key, value in (("team", team), ("owner", owner)) if value}
        if dry_run:
            params["dry_run"] = "true"
        return self._json(self._request("POST", f"{API}/odcs", json=document, params=params))

    # -- plumbing ----------------------------------------------------------------------------
    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self._send(method, path, **kwargs)
        if response.status_code == 404 and not _registry_not_found(response):
            raise CliError(
                f"the server at {self.url} has no {method} {response.request.url.path} "
                "(404 Not Found); is --url the contract-service's address, without a path?",
                ExitCode.SERVER,
            )
        return response

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self.http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise CliError(
                f"the registry at {self.url} did not answer in time ({type(exc).__name__})",
                ExitCode.SERVER,
            ) from exc
        except httpx.HTTPError as exc:
            raise CliError(
                f"cannot reach the registry at {self.url}: {exc or type(exc).__name__}",
                ExitCode.SERVER,
            ) from exc

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 400:
            raise self._error(response)
        try:
            body = response.json()
        except ValueError as exc:
            raise CliError(
                f"the registry at {self.url} answered {response.status_code} with a body that "
                "is not JSON; is --url pointing at the contract-service?",
                ExitCode.SERVER,
            ) from exc
        if not isinstance(body, dict):
            raise CliError(f"unexpected answer from {self.url}: {body!r:.200}", ExitCode.SERVER)
        return body

    def _error(self, response: httpx.Response) -> CliError:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        detail = str(body.get("detail") or response.reason_phrase or f"HTTP {status}")
        details = [
            f"{e.get('loc', '?')}: {e.get('message', e)}" if isinstance(e, dict) else str(e)
            for e in body.get("errors") or []
        ]
        where = f"{response.request.method} {response.request.url.path}"
        if status == 409:
            return ConflictRefused(Conflict(detail=detail, body=body))
        if status == 412:
            changed = [
                f"{c.get('path', '?')}: {c.get('message', '')}"
                for c in body.get("changes") or []
                if isinstance(c, dict)
            ]
            return CliError(
                f"{detail}. Pull it again (datapact pull NAME -o FILE), apply your edit to that "
                "file and push it; nothing was written",
                ExitCode.INVALID,
                [f"changed since version {body.get('expected_version')}:", *changed][:21]
                if changed
                else [],
            )
        if status in (401, 403):
            hint = (
                " (pass --token or set DATAPACT_TOKEN; `datapact token create` mints one)"
                if status == 401
                else ""
            )
            return CliError(f"{detail}{hint}", ExitCode.AUTH, details)
        if status == 404:
            return CliError(detail, ExitCode.NOT_FOUND, details)
        if status >= 500:
            return CliError(f"registry error {status} on {where}: {detail}", ExitCode.SERVER)
        return CliError(f"refused ({status}): {detail}", ExitCode.INVALID, details)


def _registry_not_found(response: httpx.Response) -> bool:
    """A 404 the registry sent about a contract or version it lacks - not the bare
    ``Not Found`` of a route that does not exist (a --url with a path, another server)."""
    try:
        body = response.json()
    except ValueError:
        return False
    detail = body.get("detail") if isinstance(body, dict) else None
    return isinstance(detail, str) and detail != "Not Found"
