"""The summary, the dataset list and one dataset in full."""

from __future__ import annotations

from datapact_common.tokens import Service
from datapact_testing.health import assert_healthy
from datapact_testing.tokens import bearer, internal_service_token, publisher_token


async def test_summary_is_computed_from_the_read_model(client, load, acme_contracts):
    empty = (await client.get("/api/v1/dictionary")).json()
    assert empty["summary"] == {
        "total_datasets": 0, "total_fields": 0, "total_teams": 0, "pii_field_count": 0,
    }  # fmt: skip
    await load(*acme_contracts)
    body = (await client.get("/api/v1/dictionary")).json()
    fields = [f for c in acme_contracts for f in c["schema"]]
    teams = {c["publisher"]["team"] for c in acme_contracts} | {
        s["team"] for c in acme_contracts for s in c["subscribers"]
    }
    assert body["summary"] == {
        "total_datasets": len(acme_contracts),
        "total_fields": len(fields),
        "total_teams": len(teams),
        "pii_field_count": sum(1 for f in fields if f["is_pii"]),
    }
    assert body["teams"] == sorted(teams)
    assert body["datasets_by_status"] == {"active": len(acme_contracts)}
    assert sum(body["fields_by_data_type"].values()) == len(fields)
    assert body["fields_by_data_type"]["uuid"] == sum(1 for f in fields if f["data_type"] == "uuid")


async def test_dataset_list_filters_and_pages(client, load, acme_contracts):
    await load(*acme_contracts)
    page = (await client.get("/api/v1/dictionary/datasets", params={"limit": 5})).json()
    assert page["total"] == len(acme_contracts) and len(page["datasets"]) == 5
    names = [d["name"] for d in page["datasets"]]
    assert names == sorted(names)
    rest = (await client.get("/api/v1/dictionary/datasets", params={"skip": 5, "limit": 50})).json()
    assert len(rest["datasets"]) == len(acme_contracts) - 5

    identity = (await client.get("/api/v1/dictionary/datasets", params={"team": "identity"})).json()
    assert {d["publisher_team"] for d in identity["datasets"]} == {"identity"}
    marketing = (
        await client.get("/api/v1/dictionary/datasets", params={"subscriber": "marketing"})
    ).json()
    assert "customers" in {d["name"] for d in marketing["datasets"]}
    gdpr = (await client.get("/api/v1/dictionary/datasets", params={"tag": "gdpr"})).json()
    assert all("gdpr" in d["tags"] for d in gdpr["datasets"]) and gdpr["total"] > 0
    none = (await client.get("/api/v1/dictionary/datasets", params={"status": "draft"})).json()
    assert none == {"datasets": [], "total": 0, "skip": 0, "limit": 50}


async def test_dataset_detail(client, load, acme_contracts, helpers):
    await load(
        *acme_contracts,
        helpers.contract(
            "reviews",
            [helpers.field("review_id", "uuid", nullable=False, is_primary_key=True),
             helpers.field("product_id", "uuid", is_foreign_key=True,
                           foreign_key_reference="products.product_id"),
             helpers.field("moderator_id", "uuid", is_foreign_key=True,
                           foreign_key_reference="moderators.moderator_id")],
        ),
    )  # fmt: skip
    detail = (await client.get("/api/v1/dictionary/datasets/reviews")).json()
    assert [f["name"] for f in detail["fields"]] == ["review_id", "product_id", "moderator_id"]
    assert {(r["references_dataset"], r["exists"]) for r in detail["references"]} == {
        ("products", True),
        ("moderators", False),
    }
    orders = (await client.get("/api/v1/dictionary/datasets/orders")).json()
    assert {r["dataset"] for r in orders["referenced_by"]} >= {"order_items", "payments"}
    assert {s["team"] for s in orders["subscribers"]} == {"analytics", "finance", "marketing"}
    status = next(f for f in orders["fields"] if f["name"] == "status")
    assert status["constraints"][0]["type"] == "enum"


async def test_unknown_and_malformed_dataset_names(client):
    missing = await client.get("/api/v1/dictionary/datasets/nothing_here")
    assert missing.status_code == 404
    assert "nothing_here" in missing.json()["detail"]
    malformed = await client.get("/api/v1/dictionary/datasets/Not-A-Name")
    assert malformed.status_code == 422


async def test_health(client):
    assert_healthy(await client.get("/health"), "dictionary-service", database="ok")


async def test_nudge_answers_at_once(client):
    contracts = bearer(internal_service_token(Service.CONTRACTS, Service.DICTIONARY))
    response = await client.post("/api/v1/dictionary/sync", headers=contracts)
    assert response.status_code == 202
    assert response.json()["status"] == "accepted"
    assert (await client.post("/api/v1/dictionary/sync")).status_code == 401
    writer = bearer(publisher_token("commerce"))
    assert (await client.post("/api/v1/dictionary/sync", headers=writer)).status_code == 403
    too_big = await client.post(
        "/api/v1/dictionary/sync", content=b"x" * (2 * 1024 * 1024), headers=contracts
    )
    assert too_big.status_code == 413
