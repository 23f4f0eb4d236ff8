"""A malformed request, an unknown route and a wrong method answer in the one error shape
(datapact_common.web.errors). The agent takes no body and no parameters: the malformed
request is its one input, the token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datapact_testing.errors import assert_error_contract


async def test_bad_requests_answer_in_the_one_error_shape(
    agent_client: Any, shop_url: str, shop_contracts: Path
) -> None:
    async with agent_client(database_url=shop_url, contracts=str(shop_contracts)) as client:
        malformed = await client.get("/schema", headers={"Authorization": "Basic c2VjcmV0"})
        assert_error_contract(
            malformed=malformed,
            unknown_route=await client.get("/nowhere"),
            wrong_method=await client.post("/metrics"),
            allowed={"GET"},
        )
    assert malformed.status_code == 401 and malformed.headers["www-authenticate"] == "Bearer"
