"""A malformed body, an unknown route and a wrong method answer in the one error shape
(datapact_common.web.errors)."""

from __future__ import annotations

import httpx

from datapact_testing.errors import MALFORMED_JSON, assert_error_contract


async def test_bad_requests_answer_in_the_one_error_shape(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    json_headers = {**commerce, "content-type": "application/json"}
    assert_error_contract(
        malformed=await client.post(
            "/api/v1/contracts", content=MALFORMED_JSON, headers=json_headers
        ),
        unknown_route=await client.get("/api/v1/nowhere"),
        wrong_method=await client.patch("/api/v1/contracts", headers=commerce),
        allowed={"GET", "POST"},
    )
