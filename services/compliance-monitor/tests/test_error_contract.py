"""A malformed request, an unknown route and a wrong method answer in the one error shape
(datapact_common.web.errors). No route takes a body: the malformed request is a path value."""

from __future__ import annotations

import uuid

import httpx

from datapact_testing.errors import assert_error_contract
from datapact_testing.processes import ServiceProcess
from datapact_testing.tokens import admin_token, bearer


def test_bad_requests_answer_in_the_one_error_shape(monitor_api: ServiceProcess) -> None:
    admin = bearer(admin_token())
    with httpx.Client(base_url=monitor_api.base_url or "", timeout=30, headers=admin) as api:
        malformed = api.post("/api/v1/checks/not-a-uuid/run")
        assert_error_contract(
            malformed=malformed,
            unknown_route=api.get("/api/v1/nowhere"),
            wrong_method=api.get(f"/api/v1/checks/{uuid.uuid4()}/run"),
            allowed={"POST"},
        )
    assert malformed.json()["errors"][0]["loc"] == "path.contract_id"
