"""Bad requests answer in the one error shape (datapact_testing.errors)."""

from __future__ import annotations

from typing import Any

from datapact_testing.errors import check_error_contract


async def test_bad_requests_answer_in_the_one_error_shape(client: Any, commerce: Any) -> None:
    ways = ("POST /api/v1/contracts", "PATCH /api/v1/contracts", {"GET", "POST"})
    assert (await check_error_contract(client, *ways, headers=commerce)).status_code == 400
