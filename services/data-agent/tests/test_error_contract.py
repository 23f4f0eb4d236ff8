"""Bad requests answer in the one error shape (datapact_testing.errors). The agent takes no
body and no parameters: the malformed request is its one input, the token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datapact_testing.errors import check_error_contract


async def test_bad_requests_answer_in_the_one_error_shape(
    agent_client: Any, shop_url: str, shop_contracts: Path
) -> None:
    basic = {"Authorization": "Basic c2VjcmV0"}
    async with agent_client(database_url=shop_url, contracts=str(shop_contracts)) as client:
        bad = await check_error_contract(client, "GET /schema", "POST /metrics", {"GET"}, basic)
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
