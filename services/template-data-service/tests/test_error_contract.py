"""A malformed request, an unknown route and a wrong method answer in the one error shape
(datapact_common.web.errors). No route takes a body: the malformed request is a query."""

from __future__ import annotations

import httpx

from datapact_testing.errors import assert_error_contract


async def test_bad_requests_answer_in_the_one_error_shape(client: httpx.AsyncClient) -> None:
    malformed = await client.get("/data/customers", params={"limit": "many"})
    assert_error_contract(
        malformed=malformed,
        unknown_route=await client.get("/nowhere"),
        wrong_method=await client.post("/schema"),
        allowed={"GET"},
    )
    assert malformed.json()["errors"][0]["loc"] == "query.limit"
