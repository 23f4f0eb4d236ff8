"""Bad requests answer in the one error shape (datapact_testing.errors); a body of the
wrong shape is a 422 naming the field."""

from __future__ import annotations

from typing import Any

from datapact_testing.errors import assert_error_body, check_error_contract


async def test_bad_requests_answer_in_the_one_error_shape(api: Any, service_headers: Any) -> None:
    ways = ("POST /api/v1/events", "PATCH /api/v1/watchers", {"GET", "POST", "DELETE"})
    assert (await check_error_contract(api, *ways, headers=service_headers)).status_code == 400


async def test_a_body_of_the_wrong_shape_is_422_naming_the_field(
    api: Any, admin_headers: Any
) -> None:
    url = "/api/v1/preferences/someone@example.com"
    body = assert_error_body(await api.put(url, json={"channels": 7}, headers=admin_headers), 422)
    assert body["detail"].startswith("invalid request: ") and body["errors"][0]["loc"]
