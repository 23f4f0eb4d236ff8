"""Pages of /metrics (``?contracts=``) and /schema (``?tables=``) on real PostgreSQL: a page
holds what the whole answer says about the contracts or tables it names, measures only their
tables, and the pages share one catalogue read; bad pages are 422."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from datapact_agent.metrics.router import MAX_PAGE_NAMES
from datapact_agent.metrics.schemas import MetricsResponse
from datapact_agent.schema.schemas import SchemaResponse

# What a second measurement of unchanged data may say differently: the time.
TIMED = {"seconds", "freshness"}


def stable(dataset: dict[str, Any]) -> dict[str, Any]:
    untimed = {k: v for k, v in dataset.items() if k not in TIMED}
    untimed["checks"] = [
        {k: v for k, v in c.items() if c["rule"] != "freshness" or k not in ("measured", "found")}
        for c in dataset["checks"]
    ]
    return untimed


def valid(body: dict[str, Any], model: Any) -> None:
    """The answer is the documented response, key for key."""
    assert model.model_validate(body).model_dump(mode="json", exclude_none=False) == {
        "paged": None,
        **body,
    }


async def test_a_page_says_what_the_whole_answer_says_of_its_contracts(
    agent_client: Any, shop_url: str, shop_contracts: Path, check_planted: Callable[..., None]
) -> None:
    async with agent_client(database_url=shop_url, contracts=shop_contracts) as client:
        agent = client._transport.app.state.agent
        whole = (await client.get("/metrics")).json()
        valid(whole, MetricsResponse)
        assert "paged" not in whole
        check_planted(whole)

        agent._plans = None
        response = await client.get("/metrics", params={"contracts": "rentals,films,nobody,films"})
        assert response.status_code == 200, response.text
        page = response.json()
        valid(page, MetricsResponse)
        assert page["paged"] is True and page["protocol"] == 2
        assert list(page["datasets"]) == ["rentals", "films"]  # as asked; unknown names left out
        for name in ("rentals", "films"):
            assert stable(page["datasets"][name]) == stable(whole["datasets"][name])
        # only the page's tables were planned (and measured)
        assert set(agent._plans[2]) == {"rental", "film"}

        empty = (await client.get("/metrics", params={"contracts": "nobody"})).json()
        assert empty["datasets"] == {} and empty["paged"] is True


async def test_the_pages_of_a_sweep_share_one_catalogue_read(
    agent_client: Any, shop_url: str, shop_contracts: Path
) -> None:
    async with agent_client(database_url=shop_url, contracts=shop_contracts) as client:
        engine = client._transport.app.state.agent.engine
        reads: list[Any] = []
        catalogue = engine.catalogue

        def counted(*args: Any, **kwargs: Any) -> Any:
            reads.append(args)
            return catalogue(*args, **kwargs)

        engine.catalogue = counted
        for names in ("customers", "films,payments", "rentals,clean_items"):
            page = (await client.get("/metrics", params={"contracts": names})).json()
            assert list(page["datasets"]) == names.split(","), page
        schema = (await client.get("/schema", params={"tables": "film,public.customer"})).json()
        assert len(reads) == 1
        assert sorted(schema["tables"]) == ["customer", "film"] and schema["paged"] is True
        await client.get("/metrics")
        await client.get("/schema")
        assert len(reads) == 3  # a whole answer reads the catalogue, as before


async def test_a_schema_page_holds_the_tables_asked_for_as_the_whole_one_does(
    agent_client: Any, shop_url: str, shop_contracts: Path
) -> None:
    async with agent_client(database_url=shop_url, contracts=shop_contracts) as client:
        whole = (await client.get("/schema")).json()
        valid(whole, SchemaResponse)
        assert "paged" not in whole and list(whole["tables"]) == sorted(whole["tables"])
        response = await client.get("/schema", params={"tables": "rental,public.film,no_such"})
        assert response.status_code == 200, response.text
        page = response.json()
        valid(page, SchemaResponse)
        assert page["tables"] == {name: whole["tables"][name] for name in ("film", "rental")}
        assert {k: v for k, v in page.items() if k not in ("tables", "paged")} == {
            k: v for k, v in whole.items() if k != "tables"
        }


@pytest.mark.parametrize(
    ("path", "param", "value"),
    [
        ("/metrics", "contracts", ""),
        ("/metrics", "contracts", "films,"),
        ("/metrics", "contracts", "films,,rentals"),
        ("/metrics", "contracts", "Films"),
        ("/metrics", "contracts", "films rentals"),
        ("/metrics", "contracts", ",".join(f"c{n}" for n in range(MAX_PAGE_NAMES + 1))),
        ("/metrics", "contracts", "c" * 12_001),
        ("/schema", "tables", ""),
        ("/schema", "tables", "film,"),
        ("/schema", "tables", "a.b.c"),
        ("/schema", "tables", "film;drop"),
        ("/schema", "tables", ",".join(f"t{n}" for n in range(MAX_PAGE_NAMES + 1))),
    ],
)
async def test_a_bad_page_is_422_with_a_reason(
    agent_client: Any, shop_url: str, shop_contracts: Path, path: str, param: str, value: str
) -> None:
    async with agent_client(database_url=shop_url, contracts=shop_contracts) as client:
        response = await client.get(path, params={param: value})
    assert response.status_code == 422, (value[:40], response.text)
    assert response.json()["detail"]
