"""GET /data/{dataset}: pages of contract fields, PII only for those the contract names."""

from __future__ import annotations

from typing import Any

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Service, create_token
from datapact_testing.tokens import admin_token, bearer, internal_service_token

MONITOR = bearer(internal_service_token(Service.MONITOR, Service.DATA_SERVICE))


def token(*teams: str) -> dict[str, str]:
    return bearer(create_token(DEVELOPMENT_SECRET, "reader", teams=list(teams)))


async def test_pages_through_a_dataset(database: str, client: Any, add_customers: Any) -> None:
    await add_customers(database, [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 8)])
    seen: list[int] = []
    offset: int | None = 0
    while offset is not None:
        response = await client.get("/data/shop_customers", params={"limit": 3, "offset": offset})
        assert response.status_code == 200
        page = response.json()
        assert page["limit"] == 3
        assert page["offset"] == offset
        assert len(page["items"]) <= 3
        seen += [item["id"] for item in page["items"]]
        offset = page["next_offset"]
    assert seen == list(range(1, 8))
    assert page["fields"] == [
        "id", "email", "full_name", "phone", "country_code", "loyalty_tier",
        "created_at", "updated_at",
    ]  # fmt: skip
    past_the_end = (await client.get("/data/shop_customers", params={"offset": 100})).json()
    assert past_the_end["items"] == []
    assert past_the_end["next_offset"] is None


async def test_unknown_dataset_is_404(client: Any) -> None:
    response = await client.get("/data/no_such_dataset")
    assert response.status_code == 404
    assert "unknown dataset 'no_such_dataset'" in response.json()["detail"]
    assert "shop_orders" in response.json()["detail"]


async def test_bad_page_parameters_are_422(client: Any) -> None:
    for params in ({"limit": 0}, {"limit": 10_001}, {"offset": -1}, {"limit": "many"}):
        assert (await client.get("/data/shop_orders", params=params)).status_code == 422, params


async def test_page_size_is_capped(
    database: str, make_settings: Any, make_client: Any, add_customers: Any
) -> None:
    await add_customers(database, [{"id": i, "email": f"c{i}@example.com"} for i in range(1, 6)])
    async with make_client(make_settings(database, data_max_page_size=2)) as client:
        page = (await client.get("/data/shop_customers", params={"limit": 500})).json()
    assert page["limit"] == 2
    assert len(page["items"]) == 2
    assert page["next_offset"] == 2


async def test_pii_only_for_the_teams_the_contract_names(
    database: str, client: Any, add_customers: Any
) -> None:
    await add_customers(database, [{"id": 1, "email": "jane@example.com", "phone": "+49 1"}])

    async def first(headers: dict[str, str] | None = None) -> dict[str, Any]:
        response = await client.get("/data/shop_customers", headers=headers or {})
        assert response.status_code == 200
        page: dict[str, Any] = response.json()
        return page

    anonymous = await first()
    assert anonymous["redacted_fields"] == ["email", "full_name", "phone"]
    assert anonymous["items"][0]["email"] is None
    assert anonymous["items"][0]["country_code"] == "DE"
    # marketing subscribes to [id, email, country_code, loyalty_tier]: e-mail, not name/phone.
    marketing = await first(token("marketing"))
    assert marketing["items"][0]["email"] == "jane@example.com"
    assert marketing["redacted_fields"] == ["full_name", "phone"]
    # analytics subscribes without any PII field.
    assert (await first(token("analytics")))["redacted_fields"] == ["email", "full_name", "phone"]
    # The publisher and admins see everything; a service token is not a reader of PII.
    assert (await first(token("commerce")))["redacted_fields"] == []
    assert (await first(bearer(admin_token())))["items"][0]["phone"] == "+49 1"
    assert (await first(MONITOR))["redacted_fields"] == [
        "email", "full_name", "phone"
    ]  # fmt: skip


async def test_invalid_token_is_401(client: Any) -> None:
    response = await client.get("/data/shop_customers", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert "invalid token" in response.json()["detail"]


async def test_reads_require_a_token_when_configured(
    database: str, make_settings: Any, make_client: Any
) -> None:
    settings = make_settings(database, datapact_reads_require_auth=True)
    async with make_client(settings) as client:
        for path in ("/schema", "/metrics", "/data/shop_orders"):
            assert (await client.get(path)).status_code == 401, path
            assert (await client.get(path, headers=MONITOR)).status_code == 200
        assert (await client.get("/health")).status_code == 200


async def test_values_are_json_safe_and_missing_columns_reported(
    fresh_database: str, make_settings: Any, make_client: Any, run_sql: Any
) -> None:
    await run_sql(
        fresh_database,
        "INSERT INTO customers (id, email, full_name, country_code) OVERRIDING SYSTEM VALUE "
        "VALUES (1, 'a@example.com', 'A', 'DE')",
        "INSERT INTO orders (order_number, customer_id, status, currency, total_amount, placed_at) "
        "VALUES ('6f1c2a8e-52d5-4f8f-9d1e-8a3f0c1b2d3e', 1, 'paid', 'EUR', 10.10, "
        "'2024-05-01T10:00:00Z')",
        "ALTER TABLE orders DROP COLUMN currency",
    )
    async with make_client(make_settings(fresh_database)) as client:
        page = (await client.get("/data/shop_orders")).json()
    assert page["missing_fields"] == ["currency"]
    assert "currency" not in page["fields"]
    order = page["items"][0]
    assert order["order_number"] == "6f1c2a8e-52d5-4f8f-9d1e-8a3f0c1b2d3e"
    assert order["total_amount"] == "10.10"
    assert order["placed_at"] == "2024-05-01T10:00:00+00:00"
