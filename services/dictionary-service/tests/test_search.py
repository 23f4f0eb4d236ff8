"""Search over the read model: ranking, typo tolerance, filters, facets, pagination."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

SEARCH = "/api/v1/dictionary/search"


async def search(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await client.get(SEARCH, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def names(body: dict[str, Any]) -> list[str]:
    return [
        f"{hit['dataset']}.{hit['field']}" if hit["kind"] == "field" else hit["dataset"]
        for hit in body["results"]
    ]


async def test_exact_name_ranks_first(client, load, acme_contracts):
    await load(*acme_contracts)
    body = await search(client, q="customer_id")
    assert body["results"][0]["exact"] is True
    assert body["results"][0]["field"] == "customer_id"
    # every exact hit comes before every other hit
    exact = [hit["exact"] for hit in body["results"]]
    assert exact == sorted(exact, reverse=True)
    assert {"customers.customer_id", "orders.customer_id", "invoices.customer_id"} <= set(
        names(await search(client, q="customer_id", limit=100))
    )


async def test_name_match_outranks_description_match(client, load, helpers):
    c, f = helpers.contract, helpers.field
    await load(
        c("ledger", [f("amount", "decimal", description="the refund amount in EUR")]),
        c("returns", [f("refund_total", "decimal", description="money given back")]),
    )
    body = await search(client, q="refund")
    assert names(body)[:2] == ["returns.refund_total", "ledger.amount"]
    assert body["results"][0]["score"] > body["results"][1]["score"]


async def test_typo_still_finds_the_field(client, load, acme_contracts):
    await load(*acme_contracts)
    body = await search(client, q="custmer", kind="field")
    assert "customers.customer_id" in names(body)
    hit = next(h for h in body["results"] if h["field"] == "customer_id")
    assert hit["highlights"]["name"] == "<mark>customer</mark>_id"


async def test_prefix_matches_while_typing(client, load, acme_contracts):
    await load(*acme_contracts)
    body = await search(client, q="warehou")
    found = names(body)
    assert "warehouses" in found
    assert "shipments.warehouse_id" in found


async def test_stemmed_words_in_descriptions(client, load, acme_contracts):
    await load(*acme_contracts)
    # "addresses" in a description is found by "address"
    body = await search(client, q="shipping address", kind="dataset")
    assert names(body) == ["customer_addresses"]
    assert "<mark>" in body["results"][0]["highlights"]["description"]


async def test_several_words_must_all_match(client, load, acme_contracts):
    await load(*acme_contracts)
    # "login" is in the description of customers.email, "email" is its name
    body = await search(client, q="login email")
    assert names(body) == ["customers.email"]
    # no entry has both words: what comes back are near spellings of the whole query,
    # scored as such (below any word match)
    loose = await search(client, q="login warehouse")
    assert "customers.email" not in names(loose)
    assert all(hit["score"] <= 0.5 and not hit["exact"] for hit in loose["results"])


async def test_team_and_tags_find_datasets_not_every_field(client, load, acme_contracts):
    await load(*acme_contracts)
    body = await search(client, q="logistics", limit=100)
    assert {h["kind"] for h in body["results"]} == {"dataset"}
    assert {h["team"] for h in body["results"]} == {"logistics"}
    fields = await search(client, team="logistics", kind="field", limit=1)
    assert fields["total"] > 0


async def test_pii_filter(client, load, acme_contracts):
    await load(*acme_contracts)
    body = await search(client, is_pii="true", limit=100)
    assert body["total"] > 0
    assert all(hit["kind"] == "field" and hit["is_pii"] for hit in body["results"])
    assert "customers.email" in names(body)
    assert body["facets"]["is_pii"] == {"true": body["total"]}
    not_pii = await search(client, q="email", is_pii="false")
    assert "customers.email" not in names(not_pii)


async def test_filters_combine(client, load, acme_contracts):
    await load(*acme_contracts)
    body = await search(client, q="id", data_type="uuid", team="identity", limit=100)
    assert body["total"] > 0
    for hit in body["results"]:
        assert hit["data_type"] == "uuid"
        assert hit["team"] == "identity"
    tagged = await search(client, tag="gdpr", kind="dataset")
    assert "customers" in names(tagged)
    assert all("gdpr" in hit["tags"] for hit in tagged["results"])


async def test_status_filter_and_deprecated_are_searchable(client, load, helpers):
    c, f = helpers.contract, helpers.field
    await load(
        c("legacy_users", [f("user_email")], status="deprecated"),
        c("users", [f("user_email")]),
    )
    body = await search(client, q="user_email")
    assert {h["dataset"]: h["status"] for h in body["results"] if h["kind"] == "field"} == {
        "legacy_users": "deprecated",
        "users": "active",
    }
    active = await search(client, q="user_email", status="active")
    assert {h["dataset"] for h in active["results"]} == {"users"}


async def test_facets_count_every_hit(client, load, acme_contracts):
    await load(*acme_contracts)
    body = await search(client, q="id", limit=1)
    facets = body["facets"]
    assert len(body["results"]) == 1
    assert sum(facets["kind"].values()) == body["total"]
    assert sum(facets["data_type"].values()) == facets["kind"]["field"]
    assert sum(facets["is_pii"].values()) == facets["kind"]["field"]
    assert sum(facets["team"].values()) == body["total"]
    assert set(facets["team"]) <= {"commerce", "identity", "logistics", "payments"}
    counts = list(facets["data_type"].values())
    assert counts == sorted(counts, reverse=True)


async def test_pagination_is_stable_and_complete(client, load, acme_contracts):
    await load(*acme_contracts)
    first = await search(client, q="id", limit=100)
    total = first["total"]
    assert total > 10
    pages = []
    for skip in range(0, total, 4):
        page = await search(client, q="id", skip=skip, limit=4)
        assert page["total"] == total
        pages += names(page)
    assert pages == names(first)
    beyond = await search(client, q="id", skip=total + 10)
    assert beyond["results"] == [] and beyond["total"] == total


async def test_empty_query_lists_everything_with_filters(client, load, acme_contracts):
    await load(*acme_contracts)
    everything = await search(client, limit=1)
    fields = sum(len(c["schema"]) for c in acme_contracts)
    assert everything["total"] == fields + len(acme_contracts)
    uuids = await search(client, data_type="uuid", limit=100)
    assert uuids["total"] > 0
    assert all(hit["data_type"] == "uuid" for hit in uuids["results"])
    # datasets first, then their fields in document order
    listing = names(await search(client, team="commerce", limit=100))
    assert listing[:3] == ["order_items", "order_items.order_item_id", "order_items.order_id"]


async def test_highlights_are_escaped_html(client, load, helpers):
    c, f = helpers.contract, helpers.field
    await load(
        c(
            "web_events",
            [f("payload", "json", description="raw <script>alert(1)</script> payload & more")],
        )
    )
    body = await search(client, q="payload", kind="field")
    highlights = body["results"][0]["highlights"]
    assert highlights["name"] == "<mark>payload</mark>"
    assert "<script>" not in highlights["description"]
    assert "&amp;" in highlights["description"]
    assert "<mark>payload</mark>" in highlights["description"]
    # the raw description stays raw: the client decides how to show it
    assert body["results"][0]["description"].startswith("raw <script>")


async def test_hostile_queries_are_harmless(client, load, acme_contracts):
    await load(*acme_contracts)
    for q in ["'; DROP TABLE fields; --", "a & b | !c", "foo:* <-> bar", "%_%", "(((", "\\"]:
        body = await search(client, q=q)
        assert body["total"] >= 0
    assert (await search(client, q="order"))["total"] > 0


async def test_bad_parameters_are_422(client):
    for params in [
        {"data_type": "varchar"},
        {"is_pii": "maybe"},
        {"limit": 0},
        {"limit": 1000},
        {"skip": -1},
        {"q": "x" * 201},
        {"team": "a\x00b"},
        {"status": "gone"},
    ]:
        response = await client.get(SEARCH, params=params)
        assert response.status_code == 422, (params, response.text)
        assert "detail" in response.json()


async def test_field_only_filters_exclude_datasets(client, load, acme_contracts):
    await load(*acme_contracts)
    body = await search(client, q="customers", data_type="uuid", limit=100)
    assert all(hit["kind"] == "field" for hit in body["results"])
    none = await search(client, kind="dataset", is_pii="true")
    assert none["total"] == 0 and none["results"] == []


async def test_facet_keys_follow_new_versions(client, load, helpers, session):
    from sqlalchemy import func, select

    from dictionary_service.search.models import SearchFacet, SearchTagSet
    from dictionary_service.sync.apply import prune_words

    c, f = helpers.contract, helpers.field
    await load(
        c("orders", [f("order_id", "uuid"), f("email")], team="sales", tags=["gdpr", "core"]),
        c("refunds", [f("order_id", "uuid")], team="sales", tags=["core"]),
    )
    body = await search(client, q="order")
    assert body["total"] == 3  # orders, orders.order_id, refunds.order_id
    assert body["facets"]["team"] == {"sales": 3}
    assert body["facets"]["tag"] == {"core": 3, "gdpr": 2}
    assert body["facets"]["data_type"] == {"uuid": 2}
    # a new version moves orders to another team, tags, status and field types
    await load(
        c(
            "orders",
            [f("order_id", "string"), f("email")],
            team="crm",
            tags=["pii"],
            status="deprecated",
            version="2.0.0",
        )
    )
    body = await search(client, q="order")
    assert body["total"] == 3
    assert body["facets"]["team"] == {"crm": 2, "sales": 1}
    assert body["facets"]["tag"] == {"pii": 2, "core": 1}
    assert body["facets"]["data_type"] == {"string": 1, "uuid": 1}
    assert body["facets"]["status"] == {"deprecated": 2, "active": 1}
    assert {h["dataset"]: h["tags"] for h in body["results"]} == {
        "orders": ["pii"],
        "refunds": ["core"],
    }

    async def count(model: type) -> int:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())

    facets, tag_sets = await count(SearchFacet), await count(SearchTagSet)
    await prune_words(session)  # a full pass: keys no entry uses any more go
    assert await count(SearchFacet) < facets
    assert await count(SearchTagSet) == tag_sets - 1  # ["gdpr", "core"]
    assert (await search(client, q="order"))["facets"] == body["facets"]


async def _statements_of_one_search(dependency: Any) -> list[str]:
    """The simple-protocol statements sent around one search through ``dependency``."""
    from dictionary_service.search import repository
    from dictionary_service.search.schemas import SearchQuery

    sent: list[str] = []
    requests = dependency()
    session = await anext(requests)
    driver = (await (await session.connection()).get_raw_connection()).driver_connection

    def log(record: Any) -> None:
        sent.append(" ".join(record.query.split())[:40])

    driver.add_query_logger(log)
    try:
        await repository.search(session, SearchQuery(q="order"))
        with pytest.raises(StopAsyncIteration):
            await anext(requests)  # the dependency's end: commit, connection back to the pool
    finally:
        driver.remove_query_logger(log)
    return sent


async def test_search_is_one_round_trip(database_url: str) -> None:
    """The search session is in autocommit: the statement alone, no BEGIN and no COMMIT."""
    from dictionary_service.database import get_read_session, get_session

    # asyncpg logs the statements it sends as simple queries (BEGIN, COMMIT), not the
    # prepared search itself
    assert await _statements_of_one_search(get_read_session) == []
    # what a transactional session sends around the same search (so the check can fail)
    assert await _statements_of_one_search(get_session) == [
        "BEGIN ISOLATION LEVEL READ COMMITTED;",
        "COMMIT;",
    ]


async def test_typo_fallback_adds_near_words_after_the_word_hits(client, load, helpers):
    """Fewer than 20 word hits: near spellings join them, once each, ranked below them."""
    c, f = helpers.contract, helpers.field
    await load(
        c("shipments", [f("shipment_id", "uuid"), f("shipment_status")]),
        c("parcels", [f("shipping_cost", "decimal"), f("shipping_status")]),
    )
    body = await search(client, q="shipmen", kind="field")
    found = names(body)
    assert found[:2] == ["shipments.shipment_id", "shipments.shipment_status"]
    assert set(found[2:]) == {"parcels.shipping_cost", "parcels.shipping_status"}
    assert body["total"] == len(found) == len(set(found)) == 4
    assert body["facets"]["kind"] == {"field": 4}
    assert all(hit["score"] < body["results"][1]["score"] for hit in body["results"][2:])


async def test_a_parameter_given_twice_is_refused(client, load, acme_contracts):
    """FastAPI would read the last value and drop the rest (schemathesis found
    ?skip=<junk>&skip=0.0 answered 200)."""
    await load(*acme_contracts)
    response = await client.get("/api/v1/dictionary/search", params=[("skip", "x"), ("skip", "0")])
    assert response.status_code == 422, response.text
    assert "'skip' is given more than once" in response.text
    single = await client.get("/api/v1/dictionary/search", params=[("q", "order"), ("skip", "0")])
    assert single.status_code == 200
