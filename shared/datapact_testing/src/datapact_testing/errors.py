"""The error contract every DataPact API keeps (datapact_common.web.errors), as assertions.

Each service's ``test_error_contract.py`` sends a malformed request (a body that is not JSON;
a bad query or path value where the service takes no body; a malformed token where it takes
neither), asks for an unknown route and uses a wrong method, and hands the three answers to
:func:`assert_error_contract`.
"""

from __future__ import annotations

from typing import Any

import httpx

MALFORMED_JSON = b'{"not": json'


def assert_error_body(response: httpx.Response, status: int) -> dict[str, Any]:
    """``{"detail": "<what is wrong>", ...}`` as JSON; where ``errors`` is sent, each item is
    ``{"loc", "message", "type"}`` in words."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("detail"), str) and body["detail"].strip(), body
    errors = body.get("errors")
    if status == 422:
        assert isinstance(errors, list) and errors, body
    if errors is not None:
        assert isinstance(errors, list), body
        for issue in errors:
            assert {"loc", "message", "type"} <= set(issue), issue
            assert all(isinstance(issue[key], str) for key in ("loc", "message", "type")), issue
    return body


def assert_error_contract(
    *,
    malformed: httpx.Response,
    unknown_route: httpx.Response,
    wrong_method: httpx.Response,
    allowed: set[str],
) -> None:
    """A malformed request is 400, 401 or 422, an unknown route 404 and a wrong method 405
    naming ``allowed`` (every method of the path) in ``Allow``; all in the one error shape."""
    assert malformed.status_code in (400, 401, 422), malformed.text
    assert_error_body(malformed, malformed.status_code)
    assert_error_body(unknown_route, 404)
    assert_error_body(wrong_method, 405)
    named = {method.strip() for method in wrong_method.headers["allow"].split(",")}
    assert allowed <= named, (allowed, named)


async def check_error_contract(
    client: httpx.AsyncClient,
    malformed: str,
    wrong_method: str,
    allowed: set[str],
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Send the three requests (``"METHOD /path?query"``; a malformed request that takes a
    body gets :data:`MALFORMED_JSON`) and assert the contract; the malformed answer back."""
    method, _, path = malformed.partition(" ")
    body = MALFORMED_JSON if method in {"POST", "PUT", "PATCH"} else None
    json_headers = {**(headers or {}), "content-type": "application/json"}
    bad = await client.request(method, path, content=body, headers=json_headers)
    other, _, other_path = wrong_method.partition(" ")
    assert_error_contract(
        malformed=bad,
        unknown_route=await client.get("/no/such/route", headers=headers),
        wrong_method=await client.request(other, other_path, headers=headers),
        allowed=allowed,
    )
    return bad
