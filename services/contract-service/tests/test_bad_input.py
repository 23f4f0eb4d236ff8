"""Careless or hostile input gets a 4xx that says what is wrong, never a 500."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

YAML = {"content-type": "application/yaml"}


async def post(
    client: httpx.AsyncClient, headers: dict[str, str], body: str | bytes, content_type: str
) -> httpx.Response:
    return await client.post(
        "/api/v1/contracts", content=body, headers={**headers, "content-type": content_type}
    )


async def test_malformed_yaml_is_400_with_line_and_column(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    body = "name: broken\nversion: 1.0.0\nschema:\n  - name: id\n    data_type: [uuid\n"
    response = await post(client, commerce, body, "application/yaml")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "invalid YAML at line" in detail and "column" in detail


async def test_malformed_json_is_400_with_line_and_column(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    response = await post(client, commerce, '{\n  "name": "x",\n  "version": }', "application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("invalid JSON at line 3, column")


@pytest.mark.parametrize(
    ("mutate", "loc", "words"),
    [
        (lambda d: d.update(name="Test_Orders"), "name", "lower-case"),
        (lambda d: d.update(version="1.0"), "version", "pattern"),
        (
            lambda d: d["schema"][1].update(data_type="money"),
            "schema.1.data_type",
            "Input should be",
        ),
        (lambda d: d["schema"][0].update(nullable="sometimes"), "schema.0.nullable", "boolean"),
        (
            lambda d: d.update(quality=[{"metric_type": "freshness", "threshold": "soon"}]),
            "quality.0",
            "cannot parse duration",
        ),
        (
            lambda d: d.update(quality=[{"metric_type": "completeness", "threshold": "120%"}]),
            "quality.0",
            "between 0% and 100%",
        ),
        (lambda d: d.update(owner="nobody"), "owner", "unknown field"),
        (lambda d: d["schema"][0].update(colour="red"), "schema.0.colour", "unknown field"),
        (lambda d: d.update(schema=[]), "schema", "at least 1"),
        (lambda d: d.pop("publisher"), "publisher", "Field required"),
        (lambda d: d["schema"].append(dict(d["schema"][1])), "(document)", "duplicate field"),
        (lambda d: d.update(tags="finance"), "tags", "valid list"),
        (
            lambda d: d.update(access={"endpoint_url": "http://127.0.0.1:abc/data"}),
            "access.endpoint_url",
            "is not a valid URL",
        ),
        (
            lambda d: d.update(subscribers=[{"team": "finance", "fields_used": ["total"] * 2}]),
            "subscribers.0.fields_used",
            "fields_used lists total more than once",
        ),
        (
            lambda d: d.update(quality_rules=[{"metric": "rowCount"}]),
            "quality_rules.0",
            "a quality rule needs one threshold",
        ),
        (
            lambda d: d.update(quality_rules=[{"metric": "rowCount", "mustBeBetween": [9, 1]}]),
            "quality_rules.0",
            "smallest first",
        ),
        (
            lambda d: d.update(quality_rules=[{"metric": "rowCounts", "mustBe": 1}]),
            "quality_rules.0.metric",
            "Input should be",
        ),
        (
            lambda d: d.update(
                quality_rules=[{"type": "sql", "mustBe": 0, "query": "DELETE FROM orders"}]
            ),
            "quality_rules.0",
            "must be a SELECT, not DELETE",
        ),
        (
            lambda d: d["schema"][1].update(
                quality_rules=[{"metric": "nullValues", "mustBe": 120, "unit": "percent"}]
            ),
            "schema.1.quality_rules.0",
            "from 0 to 100",
        ),
    ],
)
async def test_invalid_documents_are_422_per_location(
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    sample_contract: dict[str, Any],
    mutate: Any,
    loc: str,
    words: str,
) -> None:
    mutate(sample_contract)
    response = await client.post("/api/v1/contracts", json=sample_contract, headers=commerce)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert any(e["loc"] == loc and words in e["message"] for e in errors), errors
    assert words in response.json()["detail"] or loc in response.json()["detail"]


async def test_a_repeated_key_is_400_and_nothing_is_saved(
    client: httpx.AsyncClient, commerce: dict[str, str], sample_contract: dict[str, Any]
) -> None:
    text = json.dumps(sample_contract)
    twice = text.replace('"version": "1.0.0"', '"version": "1.0.0", "name": "other_orders"')
    response = await post(client, commerce, twice, "application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "invalid JSON: duplicate key 'name'"
    as_yaml = "name: test_orders\nversion: 1.0.0\nname: other_orders\n"
    response = await post(client, commerce, as_yaml, "application/yaml")
    assert response.status_code == 400
    assert "line 3, column 1: duplicate key 'name'" in response.json()["detail"]
    listed = await client.get("/api/v1/contracts")
    assert listed.json()["total"] == 0


async def test_a_byte_order_mark_before_the_document_is_accepted(
    client: httpx.AsyncClient, commerce: dict[str, str], sample_contract: dict[str, Any]
) -> None:
    body = b"\xef\xbb\xbf" + json.dumps(sample_contract).encode()
    response = await post(client, commerce, body, "application/json")
    assert response.status_code == 201, response.text


async def test_a_10_mb_body_is_413(client: httpx.AsyncClient, commerce: dict[str, str]) -> None:
    body = b'{"name": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    response = await post(client, commerce, body, "application/json")
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


async def test_streamed_body_without_length_is_limited_too(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    async def chunks() -> Any:
        for _ in range(40):
            yield b"x" * (256 * 1024)

    response = await client.post(
        "/api/v1/contracts",
        content=chunks(),
        headers={**commerce, "content-type": "application/yaml"},
    )
    assert response.status_code == 413


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data"])
async def test_wrong_content_type_is_415(
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    content_type: str,
    sample_contract: dict[str, Any],
) -> None:
    response = await post(client, commerce, json.dumps(sample_contract), content_type)
    assert response.status_code == 415
    assert "application/json or application/yaml" in response.json()["detail"]


async def test_empty_body_and_non_mapping_documents(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    assert (await post(client, commerce, "", "application/json")).status_code == 400
    listed = await post(client, commerce, "[1, 2]", "application/json")
    assert listed.status_code == 422 and "mapping" in listed.json()["detail"]
    scalar = await post(client, commerce, "just text", "application/yaml")
    assert scalar.status_code == 422


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        ('{"name": "a\\u0000b"}', "application/json", 422, "NUL"),
        ('{"name": "\\ud800"}', "application/json", 422, "surrogate"),
        ('{"name": "x", "metadata": {"v": NaN}}', "application/json", 422, "NaN"),
        ('{"name": "x", "metadata": {"v": 1e999}}', "application/json", 422, "NaN and Infinity"),
        (
            '{"name": "x", "metadata": {"v": 123456789012345678901234567890}}',
            "application/json",
            422,
            "64-bit",
        ),
        ("name: x\nmetadata: {1: one}\n", "application/yaml", 422, "keys must be strings"),
        ("name: x\nmetadata: !!binary aGVsbG8=\n", "application/yaml", 422, "bytes"),
        ("name: x\nmetadata: !!set {a, b}\n", "application/yaml", 422, "set"),
        ("[" * 5000 + "]" * 5000, "application/json", 400, "nested too deeply"),
        (
            "a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)),
            "application/yaml",
            422,
            "nested deeper",
        ),
    ],
)
async def test_values_that_cannot_be_stored_exactly_are_refused(
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    body: str,
    content_type: str,
    status: int,
    words: str,
) -> None:
    response = await post(client, commerce, body, content_type)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]


async def test_yaml_alias_bomb_is_refused(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    levels = ["a: &a [" + ",".join(["x"] * 10) + "]"]
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    response = await post(client, commerce, "\n".join(levels), "application/yaml")
    assert response.status_code == 413
    assert "aliases" in response.json()["detail"]


async def test_invalid_uuid_and_query_values_are_422(client: httpx.AsyncClient) -> None:
    for path in (
        "/api/v1/contracts/not-a-uuid",
        "/api/v1/contracts/12345/versions",
        "/api/v1/contracts?limit=1000",
        "/api/v1/contracts?updated_since=yesterday",
        "/api/v1/contracts?skip=abc",
        f"/api/v1/contracts/{uuid.uuid4()}/compliance?limit=0",
        "/api/v1/compliance/trend?days=0",
        "/api/v1/compliance/trend?days=100000",
        "/api/v1/contracts?q=" + "x" * 300,
    ):
        response = await client.get(path)
        assert response.status_code == 422, path
        body = response.json()
        assert body["detail"].startswith("invalid request") and body["errors"][0]["loc"]


async def test_nul_in_query_text_is_a_4xx(client: httpx.AsyncClient) -> None:
    for params in ({"q": "a\x00b"}, {"team": "\x00"}, {"tag": "x\x00"}):
        response = await client.get("/api/v1/contracts", params=params)
        assert response.status_code == 422, params
    response = await client.get("/api/v1/contracts/name/a%00b")
    assert response.status_code in (404, 422)
