"""schemathesis over the OpenAPI of a real uvicorn process, with an admin token so the
write paths run too: no 5xx, responses (status, content type, body, headers) as documented,
auth enforced where it is required.

Two checks are left out on purpose: the contract model validates more than a JSON Schema
can say (fields_used must name fields of the same document, a cursor must come from this
API, no NUL characters), so schema-valid requests may rightly get a 422; and it accepts
pydantic's lax coercions (``unique: 0`` is false), so some schema-violating requests are
rightly accepted and stored in their normalized form."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from datapact_testing.processes import ServiceProcess
from datapact_testing.tokens import admin_token

TOKEN = {"Authorization": f"Bearer {admin_token('fuzzer')}"}
EXCLUDED = [checks.positive_data_acceptance, checks.negative_data_rejection]


@pytest.fixture
def api_schema(api_server: ServiceProcess, clean_db: str, sample_contract: dict[str, Any]) -> Any:
    # one real contract, so that name lookups and listings have something to return
    httpx.post(
        f"{api_server.base_url}/api/v1/contracts", json=sample_contract, headers=TOKEN, timeout=30
    )
    return schemathesis.openapi.from_url(f"{api_server.base_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


# The whole run covers every operation: slow on a loaded 2-core machine, not a hang.
@pytest.mark.timeout(900)
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_documented_responses(case: Any) -> None:
    case.call_and_validate(headers=TOKEN, excluded_checks=EXCLUDED)
