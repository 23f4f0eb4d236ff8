"""schemathesis over the OpenAPI of the running notification API: no 5xx, responses as
documented. Requests carry a service token so that writes get past authentication.

One check is left out: "a schema-valid request is accepted". Some rules cannot be said in
JSON Schema and are enforced with a 422 that names them: an event's payload depends on its
type, a watcher's target is an e-mail address unless the channel is Slack, a watcher has at
most one scope, an address must be deliverable-looking.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from datapact_common.tokens import Service
from datapact_testing.tokens import bearer, internal_service_token

TOKEN = bearer(internal_service_token(Service.MONITOR, Service.NOTIFICATIONS))


@pytest.fixture
def api_schema(live: Any) -> Any:
    return schemathesis.openapi.from_url(f"{live.api.base_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


# The whole run covers every operation: slow on a loaded 2-core machine, not a hang.
@pytest.mark.timeout(900)
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_documented_responses(case: Any) -> None:
    case.call_and_validate(headers=TOKEN, excluded_checks=[positive_data_acceptance])
