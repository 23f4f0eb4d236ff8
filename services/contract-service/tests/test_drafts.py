"""POST /api/v1/drafts/from-sql: the dashboard's "new contract from a DDL file", the same
reader and drafts as `datapact init --from-sql`; a writer's token, bounded input, 4xx with a
reason for bad input, nothing stored."""

from __future__ import annotations

from typing import Any

import httpx

from datapact_common.documents import parse_contract
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import create_token
from datapact_testing.tokens import bearer

URL = "/api/v1/drafts/from-sql"
DDL = """
CREATE TYPE order_status AS ENUM ('placed', 'paid', 'shipped');
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, born date);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    status order_status NOT NULL,
    total numeric(10, 2) CHECK (total >= 0),
    spot point
);
COMMENT ON TABLE orders IS 'Orders placed in the shop';
"""


async def test_drafts_one_contract_per_table(
    client: httpx.AsyncClient, commerce: dict[str, str], sql: Any
) -> None:
    response = await client.post(
        URL, json={"sql": DDL, "team": "commerce", "owner": "ann"}, headers=commerce
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [d["name"] for d in body["drafts"]] == ["customers", "orders"]
    orders = body["drafts"][1]
    document = orders["document"]
    assert document["description"] == "Orders placed in the shop"
    assert document["publisher"] == {"team": "commerce", "owner": "ann"}
    fields = {f["name"]: f for f in document["schema"]}
    assert fields["status"]["constraints"] == [
        {"type": "enum", "value": ["placed", "paid", "shipped"]}
    ]
    assert fields["total"]["constraints"] == [{"type": "min", "value": 0}]
    assert fields["customer_id"]["foreign_key_reference"] == "customers.id"
    assert orders["yaml"].startswith("# Drafted by `datapact init` from an uploaded DDL file")
    assert parse_contract(document).name == "orders"
    assert (
        "column 'orders.spot': type point has no contract data type; left out" in (body["problems"])
    )
    assert sql("SELECT count(*) FROM contracts") == [(0,)]  # nothing stored


async def test_who_may_draft(client: httpx.AsyncClient, commerce: dict[str, str]) -> None:
    assert (await client.post(URL, json={"sql": DDL})).status_code == 401
    reader = bearer(create_token(DEVELOPMENT_SECRET, "rita", teams=["commerce"]))
    refused = await client.post(URL, json={"sql": DDL}, headers=reader)
    assert refused.status_code == 403
    assert "contracts:write" in refused.json()["detail"]
    other = await client.post(URL, json={"sql": DDL, "team": "finance"}, headers=commerce)
    assert other.status_code == 403
    assert "team 'finance'" in other.json()["detail"]


async def test_bad_input_is_a_4xx_with_a_reason(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    nothing = await client.post(URL, json={"sql": "SELECT 1;"}, headers=commerce)
    assert nothing.status_code == 422
    assert "no contract could be drafted" in nothing.json()["detail"]
    unreadable = await client.post(URL, json={"sql": "CREATE TABLE ((( ;"}, headers=commerce)
    assert unreadable.status_code == 422
    dialect = await client.post(URL, json={"sql": DDL, "dialect": "oracle"}, headers=commerce)
    assert dialect.status_code == 422
    extra = await client.post(URL, json={"sql": DDL, "nope": 1}, headers=commerce)
    assert extra.status_code == 422
    long = await client.post(URL, json={"sql": "-- x\n" * 250_000}, headers=commerce)
    assert long.status_code == 422  # more than 1,000,000 characters
    huge = await client.post(URL, content=b"{" + b" " * (3 * 1024 * 1024) + b"}", headers={
        **commerce, "Content-Type": "application/json",
    })  # fmt: skip
    assert huge.status_code == 413
    unknown = await client.post(URL, json={"sql": DDL, "tables": ["nope"]}, headers=commerce)
    assert unknown.status_code == 422
    assert "table 'nope' not found in schema 'public'" in unknown.json()["detail"]
