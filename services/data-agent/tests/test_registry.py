"""Contracts from the registry: a real contract-service; the agent serves exactly the active
contracts whose access.endpoint_url is its own, and follows changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from datapact_agent.contracts.registry import same_endpoint
from datapact_common.documents import load_contracts
from datapact_testing.postgres import drop_database, migrated_database, truncate_all
from datapact_testing.processes import ServiceProcess, free_port, uvicorn_process
from datapact_testing.redis_urls import suite_redis_url
from datapact_testing.tokens import admin_token, bearer

REPO = Path(__file__).resolve().parents[3]
AGENT_ENDPOINT = "http://127.0.0.1:8003"


@pytest.fixture(scope="module")
def registry_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = migrated_database(REPO / "services" / "contract-service", "test_agent_registry")
    redis_url = suite_redis_url(14)
    unused = f"http://127.0.0.1:{free_port()}"
    process: ServiceProcess = uvicorn_process(
        "contract-service",
        "contract_service.main:app",
        env={
            "ENVIRONMENT": "test",
            "CONTRACT_DATABASE_URL": url,
            "CONTRACT_REDIS_URL": redis_url,
            "NOTIFICATION_SERVICE_URL": unused,
            "DICTIONARY_SERVICE_URL": unused,
            "DICTIONARY_NUDGE_ENABLED": "false",
        },
        cwd=tmp_path_factory.mktemp("contract-service"),
    )
    process.start()
    truncate_all(url.rsplit("/", 1)[1])
    yield process.base_url or ""
    process.stop()
    drop_database(url.rsplit("/", 1)[1])


def _register(registry_url: str, document: dict[str, Any]) -> None:
    response = httpx.post(
        f"{registry_url}/api/v1/contracts", json=document, headers=bearer(admin_token()), timeout=30
    )
    assert response.status_code == 201, response.text


def _shop(shop_contracts: Path, endpoint: str) -> list[dict[str, Any]]:
    documents = []
    for contract in load_contracts(shop_contracts.read_text(encoding="utf-8")):
        document = contract.to_document()
        document["access"] = {"endpoint_url": endpoint}
        documents.append(document)
    return documents


def test_endpoints_compare_as_urls() -> None:
    assert same_endpoint("http://127.0.0.1:8003", "HTTP://127.0.0.1:8003/")
    assert same_endpoint("http://agent", "http://agent:80")
    assert not same_endpoint("http://127.0.0.1:8003", "http://127.0.0.1:8004")
    assert not same_endpoint("http://127.0.0.1:8003", "https://127.0.0.1:8003")


async def test_the_agent_serves_the_registered_contracts_that_point_at_it(
    agent_client: Any, registry_url: str, shop_url: str, shop_contracts: Path
) -> None:
    ours, theirs = _shop(shop_contracts, AGENT_ENDPOINT), _shop(shop_contracts, "http://x:1")
    for document in ours[:2]:
        _register(registry_url, document)
    other = {**theirs[2], "name": "someone_elses"}
    _register(registry_url, other)
    async with agent_client(
        database_url=shop_url,
        contracts=registry_url,
        endpoint_url=AGENT_ENDPOINT + "/",
        contracts_refresh_seconds=0.01,
    ) as client:
        first = (await client.get("/metrics")).json()
        _register(registry_url, ours[2])  # registered later: picked up on the next read
        second = (await client.get("/metrics")).json()
    assert set(first["datasets"]) == {"customers", "films"}
    assert set(second["datasets"]) == {"customers", "films", "payments"}
    films = {c["id"]: c for c in second["datasets"]["films"]["checks"]}
    assert films["price:min"]["violations"] == 1


async def test_an_unreachable_registry_serves_nothing_rather_than_guessing(
    agent_client: Any, shop_url: str
) -> None:
    async with agent_client(
        database_url=shop_url,
        contracts=f"http://127.0.0.1:{free_port()}",
        endpoint_url=AGENT_ENDPOINT,
    ) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.json()["datasets"] == {}


def test_contracts_from_the_registry_need_the_agents_endpoint(shop_url: str) -> None:
    from datapact_agent.config import Settings
    from datapact_agent.contracts.catalogue import ContractsError
    from datapact_agent.main import create_app

    with pytest.raises(ContractsError, match="AGENT_ENDPOINT_URL"):
        create_app(Settings(database_url=shop_url, contracts="http://127.0.0.1:8001"))
