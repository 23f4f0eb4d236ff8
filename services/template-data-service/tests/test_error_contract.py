"""Bad requests answer in the one error shape (datapact_testing.errors); no route takes a
body, so the malformed request is a query."""

from __future__ import annotations

from typing import Any

from datapact_testing.errors import check_error_contract


async def test_bad_requests_answer_in_the_one_error_shape(client: Any) -> None:
    ways = ("GET /data/customers?limit=many", "POST /schema", {"GET"})
    assert (await check_error_contract(client, *ways)).json()["errors"][0]["loc"] == "query.limit"
