"""Web helpers in a small real FastAPI app: body limit, document bodies, errors, auth."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel

from datapact_common.exceptions import ConflictError, ContractValidationError, NotFoundError
from datapact_common.tokens import Principal, Scope, Service, create_token, service_token
from datapact_common.web import Auth, BodySizeLimitMiddleware, install_error_handlers, read_document
from datapact_testing.errors import MALFORMED_JSON, assert_error_body, assert_error_contract

SECRET = "web-test-secret-" * 3
LIMIT = 1000
ROUTE_LIMIT = 100  # a route's own cap, below the app's
reads_closed = {"value": False}
auth = Auth(lambda: SECRET, Service.CONTRACTS, lambda: reads_closed["value"])
CurrentPrincipal = Annotated[Principal, Depends(auth.require_token)]
ReaderPrincipal = Annotated[Principal | None, Depends(auth.reader)]


class Item(BaseModel):
    text: str


def build_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=LIMIT)

    @app.post("/documents")
    async def post_document(request: Request) -> dict[str, Any]:
        return {"document": await read_document(request)}

    @app.post("/open-documents")
    async def post_open_document(request: Request) -> dict[str, Any]:
        return {"document": await read_document(request, max_bytes=ROUTE_LIMIT)}

    @app.post("/items")
    async def post_item(item: Item) -> dict[str, int]:
        return {"length": len(item.text)}

    @app.get("/read")
    async def read(principal: ReaderPrincipal) -> dict[str, str | None]:
        return {"sub": principal.sub if principal else None}

    @app.post("/write")
    async def write(principal: CurrentPrincipal) -> dict[str, str]:
        return {"sub": principal.sub}

    @app.post("/internal")
    async def internal(
        principal: Annotated[Principal, Depends(auth.require_service(Service.MONITOR))],
    ) -> dict[str, str]:
        return {"sub": principal.sub}

    @app.post("/admin")
    async def admin(principal: Annotated[Principal, Depends(auth.require_admin)]) -> dict[str, str]:
        return {"sub": principal.sub}

    @app.post("/contracts")
    async def contracts(
        principal: Annotated[Principal, Depends(auth.require_scope(Scope.CONTRACTS_WRITE))],
    ) -> dict[str, str]:
        return {"sub": principal.sub}

    @app.delete("/items")
    async def delete_items() -> None:
        return None

    @app.get("/errors/{kind}")
    async def errors(kind: str) -> None:
        if kind == "missing":
            raise NotFoundError("contract 'x' not found")
        if kind == "conflict":
            raise ConflictError(
                "bump too small", changes=[{"kind": "field_removed"}], required_bump="major"
            )
        raise ContractValidationError("invalid contract", [{"loc": "name", "message": "bad"}])

    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    reads_closed["value"] = False
    transport = httpx.ASGITransport(app=build_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- body size limit ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/documents", "/items"])
async def test_declared_oversized_body_is_413(client: httpx.AsyncClient, path: str) -> None:
    response = await client.post(
        path, content=b"x" * (LIMIT + 1), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": f"request body larger than {LIMIT} bytes"}


@pytest.mark.parametrize("path", ["/documents", "/items"])
async def test_streamed_oversized_body_is_413(client: httpx.AsyncClient, path: str) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"text": "'
        for _ in range(20):
            yield b"y" * 100
        yield b'"}'

    response = await client.post(
        path, content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "larger than 1000 bytes" in response.json()["detail"]


async def test_body_within_the_limit_passes(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"text": "'
        yield b"z" * 500
        yield b'"}'

    response = await client.post(
        "/items", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200 and response.json() == {"length": 500}


async def test_a_lying_content_length_does_not_get_past(client: httpx.AsyncClient) -> None:
    """A client that declares a small body and streams a big one is still cut off."""

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(30):
            yield b"a" * 100

    response = await client.post(
        "/documents",
        content=chunks(),
        headers={"content-type": "application/yaml", "content-length": "10"},
    )
    assert response.status_code == 413


async def test_a_route_cap_below_the_apps_is_413_declared_or_streamed(
    client: httpx.AsyncClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"a" * 30

    yaml = {"content-type": "application/yaml"}
    declared = await client.post("/open-documents", content=b"a" * 101, headers=yaml)
    streamed = await client.post("/open-documents", content=chunks(), headers=yaml)
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json() == {"detail": f"request body larger than {ROUTE_LIMIT} bytes"}
    within = await client.post("/open-documents", content=b"a: " + b"b" * 90, headers=yaml)
    assert within.status_code == 200 and within.json() == {"document": {"a": "b" * 90}}


# -- document bodies ---------------------------------------------------------------------------


async def test_json_document(client: httpx.AsyncClient) -> None:
    response = await client.post("/documents", json={"name": "orders", "tags": ["a"]})
    assert response.json() == {"document": {"name": "orders", "tags": ["a"]}}


@pytest.mark.parametrize(
    "media", ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"]
)
async def test_yaml_document_keeps_dates_as_strings(client: httpx.AsyncClient, media: str) -> None:
    response = await client.post(
        "/documents",
        content="name: orders\nsince: 2022-10-03\n",
        headers={"content-type": f"{media}; charset=utf-8"},
    )
    assert response.json() == {"document": {"name": "orders", "since": "2022-10-03"}}


async def test_missing_content_type_is_read_as_json(client: httpx.AsyncClient) -> None:
    response = await client.post("/documents", content=b'{"a": 1}')
    assert response.json() == {"document": {"a": 1}}


async def test_unsupported_media_type_is_415(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/documents", content=b"a=1", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 415
    assert "send application/json or application/yaml" in response.json()["detail"]


@pytest.mark.parametrize("body", [b"", b"   \n"])
async def test_empty_body_is_400(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post(
        "/documents", content=body, headers={"content-type": "application/yaml"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "request body is empty"}


async def test_malformed_yaml_is_400_with_position(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/documents", content="a: [1,\n", headers={"content-type": "application/yaml"}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("invalid YAML at line")


async def test_malformed_json_is_400_with_position(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/documents", content=b'{"a": }', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "invalid JSON at line 1, column 7: Expecting value"


# -- error mapping ----------------------------------------------------------------------------


async def test_domain_errors_map_to_http(client: httpx.AsyncClient) -> None:
    missing = await client.get("/errors/missing")
    assert (missing.status_code, missing.json()) == (404, {"detail": "contract 'x' not found"})
    conflict = await client.get("/errors/conflict")
    assert conflict.status_code == 409
    assert conflict.json() == {
        "detail": "bump too small",
        "changes": [{"kind": "field_removed"}],
        "required_bump": "major",
    }
    invalid = await client.get("/errors/invalid")
    assert invalid.status_code == 422
    assert invalid.json()["errors"] == [{"loc": "name", "message": "bad"}]


async def test_the_error_contract(client: httpx.AsyncClient) -> None:
    malformed = await client.post(
        "/items", content=MALFORMED_JSON, headers={"content-type": "application/json"}
    )
    body = assert_error_body(malformed, 422)
    assert body["detail"].startswith("invalid request: body.")
    assert body["errors"][0]["type"] == "json_invalid"
    assert_error_contract(
        malformed=malformed,
        unknown_route=await client.get("/nowhere"),
        wrong_method=await client.put("/items"),
        allowed={"POST", "DELETE"},  # two routes of one path: Allow names both
    )


async def test_a_missing_field_is_named(client: httpx.AsyncClient) -> None:
    body = assert_error_body(await client.post("/items", json={}), 422)
    assert body["errors"] == [{"loc": "body.text", "message": "Field required", "type": "missing"}]
    assert body["detail"] == "invalid request: body.text: Field required"


def test_the_openapi_document_describes_422_as_the_error_body() -> None:
    document = build_app().openapi()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert set(schemas["ErrorBody"]["properties"]) == {"detail", "errors"}
    invalid = document["paths"]["/items"]["post"]["responses"]["422"]
    assert invalid["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }


# -- auth ----------------------------------------------------------------------------------------


async def test_write_without_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/write")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "authentication required" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Basic dXNlcjpwdw==", "Bearer", "Bearer   ", "Token abc"])
async def test_malformed_authorization_is_401(client: httpx.AsyncClient, header: str) -> None:
    response = await client.post("/write", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["detail"] == "Authorization header must be 'Bearer <token>'"


async def test_token_signed_with_another_secret_is_401(client: httpx.AsyncClient) -> None:
    token = create_token("not-the-secret-" * 3, "mallory", scopes=["admin"])
    response = await client.post("/write", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("invalid token")


async def test_valid_token_is_accepted(client: httpx.AsyncClient) -> None:
    token = create_token(SECRET, "alice", teams=["checkout"], scopes=["contracts:write"])
    response = await client.post("/write", headers=bearer(token))
    assert response.json() == {"sub": "alice"}


async def test_reads_are_open_by_default_and_closable(client: httpx.AsyncClient) -> None:
    assert (await client.get("/read")).json() == {"sub": None}
    token = create_token(SECRET, "carol")
    assert (await client.get("/read", headers=bearer(token))).json() == {"sub": "carol"}
    reads_closed["value"] = True
    assert (await client.get("/read")).status_code == 401
    assert (await client.get("/read", headers=bearer(token))).json() == {"sub": "carol"}


async def test_service_endpoints_take_only_their_callers_tokens(client: httpx.AsyncClient) -> None:
    publisher = create_token(SECRET, "alice", teams=["checkout"], scopes=["contracts:write"])
    refused = await client.post("/internal", headers=bearer(publisher))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "this endpoint is only for compliance-monitor"
    monitor = service_token(SECRET, Service.MONITOR, Service.CONTRACTS)
    assert (await client.post("/internal", headers=bearer(monitor))).status_code == 200
    # another service's token for this API, and an admin's, are not the monitor's
    dictionary = service_token(SECRET, Service.DICTIONARY, Service.CONTRACTS)
    assert (await client.post("/internal", headers=bearer(dictionary))).status_code == 403
    admin = create_token(SECRET, "root", scopes=["admin"])
    assert (await client.post("/internal", headers=bearer(admin))).status_code == 403


async def test_a_token_for_another_api_is_401_with_the_reason(client: httpx.AsyncClient) -> None:
    for_notifications = service_token(SECRET, Service.MONITOR, Service.NOTIFICATIONS)
    for method, route in (("POST", "/internal"), ("POST", "/write"), ("GET", "/read")):
        refused = await client.request(method, route, headers=bearer(for_notifications))
        assert refused.status_code == 401
        assert "not meant for the contract-service API" in refused.json()["detail"]


async def test_admin_endpoints(client: httpx.AsyncClient) -> None:
    writer = create_token(SECRET, "alice", scopes=["contracts:write"])
    refused = await client.post("/admin", headers=bearer(writer))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "this endpoint needs an 'admin' token"
    monitor = service_token(SECRET, Service.MONITOR, Service.CONTRACTS)
    assert (await client.post("/admin", headers=bearer(monitor))).status_code == 403
    admin = create_token(SECRET, "root", scopes=["admin"])
    assert (await client.post("/admin", headers=bearer(admin))).status_code == 200


async def test_scoped_endpoints(client: httpx.AsyncClient) -> None:
    reader = create_token(SECRET, "dave", teams=["checkout"])
    refused = await client.post("/contracts", headers=bearer(reader))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "this endpoint needs the 'contracts:write' scope"
    writer = create_token(SECRET, "alice", scopes=["contracts:write"])
    assert (await client.post("/contracts", headers=bearer(writer))).status_code == 200
    admin = create_token(SECRET, "root", scopes=["admin"])
    assert (await client.post("/contracts", headers=bearer(admin))).status_code == 200


async def test_a_token_presented_again_is_looked_up_not_decoded(client: httpx.AsyncClient) -> None:
    token = create_token(SECRET, "erin", scopes=["contracts:write"])
    hits, misses = auth.tokens.hits, auth.tokens.misses
    for _ in range(3):
        assert (await client.post("/write", headers=bearer(token))).json() == {"sub": "erin"}
    assert (auth.tokens.hits - hits, auth.tokens.misses - misses) == (2, 1)
