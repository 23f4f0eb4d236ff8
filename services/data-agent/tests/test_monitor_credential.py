"""The agent checks the compliance monitor's credential (audience = its AGENT_ENDPOINT_URL),
and with AGENT_REQUIRE_MONITOR_CREDENTIAL answers /schema and /metrics to it alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from datapact_agent.config import Settings
from datapact_common.data_service_credentials import mint
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_testing.tokens import admin_token, bearer

ENDPOINT = "http://data.internal:8443"


async def test_required_credential_is_the_only_way_in(
    agent_client: Any, shop_url: str, shop_contracts: Path
) -> None:
    async with agent_client(
        database_url=shop_url,
        contracts=shop_contracts,
        endpoint_url=ENDPOINT,
        require_monitor_credential=True,
    ) as client:
        own = bearer(mint(DEVELOPMENT_SECRET, ENDPOINT))
        for path in ("/schema", "/metrics"):
            assert (await client.get(path, headers=own)).status_code == 200, path
            refused = {
                "none": {},
                "datapact token": bearer(admin_token()),
                "another origin": bearer(mint(DEVELOPMENT_SECRET, "http://data.internal:8444")),
                "another secret": bearer(mint("another-secret-" * 3, ENDPOINT)),
            }
            for reason, headers in refused.items():
                response = await client.get(path, headers=headers)
                assert response.status_code == 401, (path, reason)
        assert (await client.get("/health")).status_code in (200, 503)


async def test_open_reads_take_the_credential_or_a_datapact_token(
    agent_client: Any, shop_url: str, shop_contracts: Path
) -> None:
    async with agent_client(
        database_url=shop_url, contracts=shop_contracts, endpoint_url=ENDPOINT
    ) as client:
        for headers in ({}, bearer(mint(DEVELOPMENT_SECRET, ENDPOINT)), bearer(admin_token())):
            assert (await client.get("/schema", headers=headers)).status_code == 200
        wrong = bearer(mint(DEVELOPMENT_SECRET, "http://elsewhere:80"))
        assert (await client.get("/schema", headers=wrong)).status_code == 401


def test_requiring_it_needs_the_endpoint_url() -> None:
    with pytest.raises(ValidationError, match="needs AGENT_ENDPOINT_URL"):
        Settings(environment="test", require_monitor_credential=True)
