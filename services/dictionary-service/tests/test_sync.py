"""Sync from a REAL running contract-service into a REAL running dictionary-api.

Two dictionary processes read the same registry: ``nudged`` has no periodic sync, so only
the contract-service's after-commit nudge can bring changes in; ``periodic`` is never
nudged and syncs every 0.3 s with pages of 2 contracts (paging through next_cursor).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psycopg
import pytest

from datapact_testing.polling import eventually
from datapact_testing.postgres import drop_database, migrated_database, sync_dsn
from datapact_testing.processes import ServiceProcess, free_port, uvicorn_process
from datapact_testing.redis_urls import suite_redis_url
from datapact_testing.tokens import admin_token, bearer

SERVICE_DIR = Path(__file__).resolve().parents[1]
CONTRACT_SERVICE_DIR = SERVICE_DIR.parent / "contract-service"
REDIS_URL = suite_redis_url(13)  # the dictionary's test Redis DB (conventions.md)
ADMIN = bearer(admin_token())
T = TypeVar("T")


def wait_for(check: Callable[[], T | None], what: str, timeout: float = 30.0) -> T:
    return eventually(check, what, within=timeout)


@dataclass
class Platform:
    contract_api: ServiceProcess
    contract_env: dict[str, str]
    contract_port: int
    nudged: ServiceProcess
    periodic: ServiceProcess
    periodic_db: str

    @property
    def contracts_url(self) -> str:
        return f"http://127.0.0.1:{self.contract_port}"


def dictionary_process(
    name: str, database_url: str, contracts_url: str, **env: str
) -> ServiceProcess:
    return uvicorn_process(
        name,
        "dictionary_service.main:app",
        env={
            "DICTIONARY_DATABASE_URL": database_url,
            "CONTRACT_SERVICE_URL": contracts_url,
            "ENVIRONMENT": "test",
            **env,
        },
        cwd=SERVICE_DIR,
    )


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    contracts_db = migrated_database(CONTRACT_SERVICE_DIR, "test_dict_contracts")
    nudged_db = migrated_database(SERVICE_DIR, "test_dict_nudged")
    periodic_db = migrated_database(SERVICE_DIR, "test_dict_periodic")
    contract_port = free_port()
    contracts_url = f"http://127.0.0.1:{contract_port}"
    nudged = dictionary_process(
        "dictionary-nudged", nudged_db, contracts_url, DICTIONARY_SYNC_ENABLED="false"
    )
    periodic = dictionary_process(
        "dictionary-periodic",
        periodic_db,
        contracts_url,
        DICTIONARY_SYNC_ENABLED="true",
        DICTIONARY_SYNC_INTERVAL_SECONDS="0.3",
        DICTIONARY_SYNC_PAGE_SIZE="2",
    )
    contract_env = {
        "CONTRACT_DATABASE_URL": contracts_db,
        "CONTRACT_REDIS_URL": REDIS_URL,
        "ENVIRONMENT": "test",
        "DICTIONARY_SERVICE_URL": nudged.base_url or "",
        "NOTIFICATION_SERVICE_URL": "http://127.0.0.1:9",
    }
    contract_api = uvicorn_process(
        "contract-api", "contract_service.main:app", env=contract_env, port=contract_port
    )
    started: list[ServiceProcess] = []
    try:
        for process in (contract_api, nudged, periodic):
            process.start()
            started.append(process)
        yield Platform(contract_api, contract_env, contract_port, nudged, periodic, periodic_db)
    finally:
        for process in started:
            process.stop()
        for url in (contracts_db, nudged_db, periodic_db):
            drop_database(url.rsplit("/", 1)[1])
        _flush_test_redis()


def _flush_test_redis() -> None:
    try:
        import redis
    except ImportError:  # pragma: no cover - redis comes with the contract-service
        return
    redis.Redis.from_url(REDIS_URL).flushdb()


def contract(name: str, version: str = "1.0.0", **extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "name": name,
        "version": version,
        "description": f"The {name.replace('_', ' ')} of the sync tests.",
        "publisher": {"team": "sync-team", "owner": "tester"},
        "schema": [
            {"name": f"{name}_id", "data_type": "uuid", "nullable": False, "is_primary_key": True},
            {"name": "customer_email", "data_type": "string", "is_pii": True},
        ],
        "tags": ["sync"],
    }
    document.update(extra)
    return document


def create(platform: Platform, document: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{platform.contracts_url}/api/v1/contracts", json=document, headers=ADMIN, timeout=10
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def dataset(process: ServiceProcess, name: str) -> dict[str, Any] | None:
    response = httpx.get(f"{process.base_url}/api/v1/dictionary/datasets/{name}", timeout=5)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def search(process: ServiceProcess, **params: Any) -> dict[str, Any]:
    response = httpx.get(f"{process.base_url}/api/v1/dictionary/search", params=params, timeout=5)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def sync_status(process: ServiceProcess) -> dict[str, Any]:
    response = httpx.get(f"{process.base_url}/api/v1/dictionary", timeout=5)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()["sync"]
    return body


def test_create_is_searchable_through_the_nudge(platform: Platform) -> None:
    create(platform, contract("loyalty_members"))
    found = wait_for(
        lambda: search(platform.nudged, q="loyalty members", kind="dataset")["results"],
        "the nudged dictionary to find the new contract",
    )
    assert found[0]["dataset"] == "loyalty_members"
    typo = search(platform.nudged, q="loyalti_membrs_id", kind="field")
    assert typo["results"][0]["field"] == "loyalty_members_id"


def test_update_replaces_the_fields(platform: Platform) -> None:
    created = create(platform, contract("gift_cards"))
    wait_for(lambda: dataset(platform.nudged, "gift_cards"), "gift_cards to arrive")
    updated = contract("gift_cards", version="2.0.0")
    updated["schema"] = [
        updated["schema"][0],
        {"name": "balance_cents", "data_type": "integer", "description": "remaining value"},
    ]
    response = httpx.put(
        f"{platform.contracts_url}/api/v1/contracts/{created['id']}",
        json=updated,
        headers=ADMIN,
        timeout=10,
    )
    assert response.status_code == 200, response.text

    detail = wait_for(
        lambda: (d := dataset(platform.nudged, "gift_cards")) and d["version"] == "2.0.0" and d,
        "version 2.0.0 of gift_cards",
    )
    assert [f["name"] for f in detail["fields"]] == ["gift_cards_id", "balance_cents"]
    assert detail["pii_field_count"] == 0
    hits = search(platform.nudged, q="balance cents", kind="field")["results"]
    assert [(h["dataset"], h["field"]) for h in hits] == [("gift_cards", "balance_cents")]
    gone = search(platform.nudged, q="customer_email", team="sync-team", kind="field")
    assert "gift_cards" not in {h["dataset"] for h in gone["results"]}


def test_deprecated_contract_is_kept_and_marked(platform: Platform) -> None:
    created = create(platform, contract("paper_catalogues"))
    wait_for(lambda: dataset(platform.nudged, "paper_catalogues"), "paper_catalogues")
    response = httpx.delete(
        f"{platform.contracts_url}/api/v1/contracts/{created['id']}", headers=ADMIN, timeout=10
    )
    assert response.status_code == 200, response.text
    detail = wait_for(
        lambda: (
            (d := dataset(platform.nudged, "paper_catalogues"))
            and d["status"] == "deprecated"
            and d
        ),
        "paper_catalogues to be marked deprecated",
    )
    assert detail["fields"]
    hits = search(platform.nudged, q="paper catalogues", kind="dataset")["results"]
    assert hits[0]["status"] == "deprecated"
    active = search(platform.nudged, q="paper catalogues", kind="dataset", status="active")
    assert active["results"] == []


def test_subscriber_change_reaches_the_erd(platform: Platform) -> None:
    created = create(platform, contract("store_visits"))
    response = httpx.post(
        f"{platform.contracts_url}/api/v1/contracts/{created['id']}/subscribers",
        json={"team": "footfall-analytics", "use_case": "Store traffic"},
        headers=ADMIN,
        timeout=10,
    )
    assert response.status_code in (200, 201), response.text

    def subscribed() -> dict[str, Any] | None:
        erd = httpx.get(
            f"{platform.nudged.base_url}/api/v1/erd", params={"team": "footfall-analytics"}
        ).json()
        edges = [e for e in erd["edges"] if e["type"] == "subscription"]
        return erd if edges else None

    erd = wait_for(subscribed, "the subscription edge")
    edge = next(e for e in erd["edges"] if e["type"] == "subscription")
    assert (edge["source"], edge["target"]) == ("team:footfall-analytics", "dataset:store_visits")


def test_periodic_sync_pages_through_everything_without_nudges(platform: Platform) -> None:
    for name in ("bulk_one", "bulk_two", "bulk_three", "bulk_four", "bulk_five"):
        create(platform, contract(name))
    registry = httpx.get(
        f"{platform.contracts_url}/api/v1/contracts", params={"limit": 500}, timeout=10
    ).json()
    names = {c["name"] for c in registry["contracts"]}

    def caught_up() -> bool:
        listed = httpx.get(
            f"{platform.periodic.base_url}/api/v1/dictionary/datasets", params={"limit": 500}
        ).json()
        return {d["name"] for d in listed["datasets"]} >= names

    wait_for(caught_up, "the periodic dictionary to hold every contract")
    status = sync_status(platform.periodic)
    assert status["last_error"] is None
    assert status["cursor"] is not None


def test_survives_the_contract_service_being_down(platform: Platform) -> None:
    create(platform, contract("before_outage"))
    wait_for(lambda: dataset(platform.periodic, "before_outage"), "before_outage")
    runs_before = sync_status(platform.periodic)["total_runs"]

    platform.contract_api.stop()
    try:
        failing = wait_for(
            lambda: (s := sync_status(platform.periodic))["consecutive_failures"] >= 2 and s,
            "the sync to report the outage",
        )
        assert "unreachable" in failing["last_error"]
        assert failing["total_runs"] > runs_before
        # the last good data is still served
        assert dataset(platform.periodic, "before_outage") is not None
        assert search(platform.periodic, q="before outage")["total"] >= 1
        health = httpx.get(f"{platform.periodic.base_url}/health", timeout=5)
        assert health.status_code == 200
    finally:
        platform.contract_api.start()

    create(platform, contract("after_outage"))
    wait_for(lambda: dataset(platform.periodic, "after_outage"), "after_outage")
    recovered = wait_for(
        lambda: (s := sync_status(platform.periodic))["consecutive_failures"] == 0 and s,
        "the sync to recover",
    )
    assert recovered["last_error"] is None
    assert recovered["last_success_at"] > failing["last_failure_at"]


def test_concurrent_nudges_coalesce(platform: Platform) -> None:
    create(platform, contract("nudge_target"))
    wait_for(lambda: dataset(platform.nudged, "nudge_target"), "nudge_target")
    wait_for(lambda: not sync_status(platform.nudged)["running"], "the sync to be idle")
    runs_before = sync_status(platform.nudged)["total_runs"]
    url = f"{platform.nudged.base_url}/api/v1/dictionary/sync"
    with httpx.Client(timeout=5) as http:
        answers = [http.post(url, headers=bearer(admin_token())) for _ in range(25)]
    assert {a.status_code for a in answers} == {202}
    assert all(a.json()["status"] == "accepted" for a in answers)
    wait_for(
        lambda: not (s := sync_status(platform.nudged))["running"] and not s["pending"],
        "the nudged runs to finish",
    )
    runs = sync_status(platform.nudged)["total_runs"] - runs_before
    assert 1 <= runs < 25


def rebuild(database_url: str, contracts_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DICTIONARY_DATABASE_URL": database_url,
        "CONTRACT_SERVICE_URL": contracts_url,
        "ENVIRONMENT": "test",
    }
    return subprocess.run(
        [sys.executable, "-m", "dictionary_service.rebuild"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_rebuild_command_rewrites_everything(platform: Platform) -> None:
    url = migrated_database(SERVICE_DIR, "test_dict_rebuild")
    try:
        done = rebuild(url, platform.contracts_url)
        assert done.returncode == 0, done.stderr
        assert "0 removed" in done.stdout
        # a dataset the registry does not list (e.g. left from another registry) goes away
        with psycopg.connect(sync_dsn(url.rsplit("/", 1)[1]), autocommit=True) as conn:
            conn.execute(
                "INSERT INTO datasets (id, name, version, status, publisher_team,"
                " publisher_owner, table_name, field_count, pii_field_count, subscriber_count,"
                " source_updated_at, synced_at) VALUES (gen_random_uuid(), 'stray',"
                " '1.0.0', 'active', 't', 'o', 'stray', 0, 0, 0, now(), now())"
            )
        done = rebuild(url, platform.contracts_url)
        assert done.returncode == 0, done.stderr
        assert "1 removed" in done.stdout
        assert "rebuild done" in done.stdout
        registry = httpx.get(
            f"{platform.contracts_url}/api/v1/contracts", params={"limit": 1}, timeout=10
        ).json()
        assert f"{registry['total']} contracts read" in done.stdout

        refused = rebuild(url, "http://127.0.0.1:9")
        assert refused.returncode == 1
        assert "keeps its data" in refused.stderr
        with psycopg.connect(sync_dsn(url.rsplit("/", 1)[1])) as conn:
            kept = conn.execute("SELECT count(*) FROM datasets").fetchone()
        assert kept is not None and kept[0] == registry["total"]
    finally:
        drop_database(url.rsplit("/", 1)[1])
