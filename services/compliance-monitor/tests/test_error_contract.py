"""Bad requests answer in the one error shape (datapact_testing.errors); no route takes a
body, so the malformed request is a path value."""

from __future__ import annotations

import uuid

import httpx

from datapact_testing.errors import check_error_contract
from datapact_testing.processes import ServiceProcess
from datapact_testing.tokens import admin_token, bearer


async def test_bad_requests_answer_in_the_one_error_shape(monitor_api: ServiceProcess) -> None:
    ways = ("POST /api/v1/checks/x/run", f"GET /api/v1/checks/{uuid.uuid4()}/run", {"POST"})
    async with httpx.AsyncClient(base_url=monitor_api.base_url or "", timeout=30) as api:
        bad = await check_error_contract(api, *ways, headers=bearer(admin_token()))
    assert bad.json()["errors"][0]["loc"] == "path.contract_id"
