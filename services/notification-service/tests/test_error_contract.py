"""A malformed body, an unknown route and a wrong method answer in the one error shape
(datapact_common.web.errors)."""

from __future__ import annotations

import httpx

from datapact_testing.errors import MALFORMED_JSON, assert_error_contract


async def test_bad_requests_answer_in_the_one_error_shape(
    api: httpx.AsyncClient, service_headers: dict[str, str]
) -> None:
    json_headers = {**service_headers, "content-type": "application/json"}
    assert_error_contract(
        malformed=await api.post("/api/v1/events", content=MALFORMED_JSON, headers=json_headers),
        unknown_route=await api.get("/api/v1/nowhere"),
        wrong_method=await api.patch("/api/v1/watchers", headers=service_headers),
        allowed={"GET", "POST", "DELETE"},
    )


async def test_a_body_of_the_wrong_shape_is_422_naming_the_field(
    api: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await api.put(
        "/api/v1/preferences/someone@example.com", json={"channels": 7}, headers=admin_headers
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("invalid request: ") and body["errors"][0]["loc"]
