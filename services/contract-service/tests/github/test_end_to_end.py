"""The whole path with real processes: uvicorn serving the API, a Celery contract-worker on
Redis (DB 10, the contract-service tests' own; queue ``contracts``), the loopback GitHub, and a
loopback notification sink that receives the events the outbox relays.

Marked ``e2e``: run by `make e2e`, not `make test` (the whole-platform scenario, e2e/ step 4,
proves the same path; docs/e2e.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis

from datapact_testing.http_sink import HttpSink
from datapact_testing.polling import eventually
from datapact_testing.postgres import sync_dsn, truncate_all
from datapact_testing.processes import ServiceProcess, celery_worker_process, uvicorn_process
from datapact_testing.redis_urls import suite_redis_url
from datapact_testing.tokens import admin_token, bearer

E2E_REDIS = suite_redis_url(10)  # the contract-service tests' DB (docs/conventions.md)
CONTRACT = "db/contracts/orders.contract.yaml"
MIGRATION = "migrations/versions/c3d4_drop_order_notes.py"
pytestmark = pytest.mark.e2e


@pytest.fixture
def stack(database: str, process_env: Any, fake_github_server: Any) -> Iterator[dict[str, Any]]:
    redis.Redis.from_url(E2E_REDIS).flushdb()
    sink = HttpSink(response_body=b'{"status": "accepted"}').start()
    env = process_env(
        CONTRACT_REDIS_URL=E2E_REDIS,
        NOTIFICATION_SERVICE_URL=sink.url,
        GITHUB_WEBHOOK_SECRET="e2e-webhook-secret",
        GITHUB_API_URL=fake_github_server.url,
        GITHUB_APP_ID=fake_github_server.app_id,
        GITHUB_APP_PRIVATE_KEY=fake_github_server.private_key_pem,
    )
    service_dir = Path(__file__).resolve().parents[2]
    api = uvicorn_process("contract-api", "contract_service.main:app", env=env, cwd=service_dir)
    worker = celery_worker_process(
        "contract-worker", "contract_service.worker.celery_app", env=env,
        queues=["contracts"], concurrency=1, cwd=service_dir,
    )  # fmt: skip
    processes: list[ServiceProcess] = []
    try:
        processes.append(api.start())
        processes.append(worker.start())
        yield {"api": api, "worker": worker, "sink": sink, "secret": "e2e-webhook-secret"}
    finally:
        for process in reversed(processes):
            process.stop()
        sink.stop()
        redis.Redis.from_url(E2E_REDIS).flushdb()


def deliver(stack: dict[str, Any], kit: Any, event: str, payload: dict[str, Any], delivery: str
            ) -> httpx.Response:  # fmt: skip
    body = json.dumps(payload).encode()
    headers = kit.signed_headers(body, event, delivery, secret=stack["secret"])
    return httpx.post(f"{stack['api'].base_url}/api/v1/webhooks/github", content=body,
                      headers=headers, timeout=10)  # fmt: skip


def wait(predicate: Any, what: str, stack: dict[str, Any], timeout: float = 60.0) -> Any:
    return eventually(predicate, what, within=timeout, interval=0.1, diagnose=stack["worker"].logs)


def delivery_rows(database: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(sync_dsn(database)) as conn:
        return conn.execute(
            "SELECT delivery_id, status, attempts, error FROM webhook_deliveries"
            " ORDER BY received_at"
        ).fetchall()


def test_pull_request_check_then_merge_sync_with_real_api_and_worker(
    stack: dict[str, Any], gh: Any, kit: Any, database: str
) -> None:
    truncate_all(database)
    api = stack["api"].base_url
    created = httpx.post(f"{api}/api/v1/contracts", json=kit.orders_contract("1.0.0"),
                         headers=bearer(admin_token()), timeout=10)  # fmt: skip
    assert created.status_code == 201, created.text

    repo = gh.add_repo("acme", "shop")
    base = repo.commit({CONTRACT: kit.yaml_of(kit.orders_contract("1.0.0"))})
    migration = kit.migration("c3d4", 'op.drop_column("orders", "notes")')
    head = repo.commit({MIGRATION: migration}, parent=base)
    repo.open_pull(5, base, head)

    response = deliver(stack, kit, "pull_request", kit.pull_request_body(repo, 5), "e2e-pr-1")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    run = wait(lambda: next((r for r in gh.runs_for(head) if r["status"] == "completed"), None),
               "the check run completing", stack)  # fmt: skip
    assert run["conclusion"] == "failure"
    [annotation] = [a for a in gh.annotations[run["id"]] if a["annotation_level"] == "failure"]
    assert (annotation["path"], annotation["start_line"]) == (
        MIGRATION, kit.line_of(migration, "drop_column"),
    )  # fmt: skip
    # the PR comment follows the check run's completion (the run is what GitHub gates on)
    comments = wait(lambda: gh.comments_on(repo, 5), "the PR comment", stack)
    assert len(comments) == 1

    # a redelivery is acknowledged and not run again
    again = deliver(stack, kit, "pull_request", kit.pull_request_body(repo, 5), "e2e-pr-1")
    assert again.status_code == 200 and again.json()["status"] == "duplicate"

    # the outbox relay delivered the events to the notification service
    received = wait(lambda: [r.json()["type"] for r in stack["sink"].received()
                             if r.path == "/api/v1/events"] or None,
                    "events reaching the notification sink", stack)  # fmt: skip
    wait(lambda: {"pr_blocked", "breaking_change_proposed"} <= {
        r.json()["type"] for r in stack["sink"].received()}, "both events", stack)  # fmt: skip
    assert received

    # the fix gets merged: the push syncs the registry
    fixed = kit.without_field(kit.orders_contract("2.0.0"), "notes")
    merged = repo.commit({CONTRACT: kit.yaml_of(fixed)}, parent=head)
    push = kit.push_body(repo, base, merged, modified=[CONTRACT], pusher="release-bot")
    assert deliver(stack, kit, "push", push, "e2e-push-1").status_code == 202

    def registered_version() -> str | None:
        body = httpx.get(f"{api}/api/v1/contracts/name/orders", timeout=5).json()
        return body["version"] if body["version"] == "2.0.0" else None

    wait(registered_version, "the registry holding 2.0.0", stack)
    contract_id = created.json()["id"]
    versions = httpx.get(f"{api}/api/v1/contracts/{contract_id}/versions", timeout=5).json()
    assert any(v["version"] == "2.0.0" and v["changed_by"] == "release-bot"
               for v in versions["versions"])  # fmt: skip

    def all_processed() -> list[tuple[Any, ...]] | None:
        rows = delivery_rows(database)
        return rows if len(rows) == 2 and all(r[1] == "processed" for r in rows) else None

    rows = wait(all_processed, "both deliveries processed", stack)
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("e2e-pr-1", "processed", 1),
        ("e2e-push-1", "processed", 1),
    ]
    assert len(gh.runs_for(head)) == 1
