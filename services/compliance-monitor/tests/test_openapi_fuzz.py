"""schemathesis over the monitor-api of a real uvicorn process: no 5xx, documented responses."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from datapact_testing.processes import ServiceProcess
from datapact_testing.tokens import admin_token, bearer


@pytest.fixture
def api_schema(monitor_api: ServiceProcess, registry: Any) -> Any:
    return schemathesis.openapi.from_url(f"{monitor_api.base_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


# The whole run covers every operation: slow on a loaded 2-core machine, not a hang.
@pytest.mark.timeout(900)
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_documented_responses(case: Any) -> None:
    case.call_and_validate()


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_with_an_admin_token(case: Any) -> None:
    case.call_and_validate(headers=bearer(admin_token()))
