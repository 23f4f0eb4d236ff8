"""GitHub check benchmark (issue 6): webhook receipt → completed check run.

Real processes, as in production: a contract-api (uvicorn) and a contract-worker (Celery,
concurrency 2, Redis DB 8 so no test shares the broker) on a throwaway
migrated database, against the loopback GitHub (``datapact_testing.github_server``) with a
GitHub App (JWT → installation token).

Each pull request changes 100 files: 4 Alembic migrations holding 20 operations on two
contracted tables, 1 contract file (a minor bump that matches part of the schema change),
95 application files. The clock starts just before the signed delivery is POSTed and stops
when the fake GitHub receives the PATCH that completes the check run (same process,
``time.monotonic``). 20 deliveries one after the other (latency), then 20 at once (burst,
queueing included). Prints one JSON line; target p95 ≤ 2 s for the sequential deliveries.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import redis

ROOT = Path(__file__).resolve().parents[2]
SERVICE_DIR = ROOT / "services" / "contract-service"

from contract_service.github.signature import sign  # noqa: E402
from datapact_common.settings import DEVELOPMENT_SECRET  # noqa: E402
from datapact_common.yaml_io import dump_yaml  # noqa: E402
from datapact_testing.github_server import FakeGitHub, FakeRepo  # noqa: E402
from datapact_testing.github_webhooks import WEBHOOK_BODIES  # noqa: E402
from datapact_testing.http_sink import HttpSink  # noqa: E402
from datapact_testing.postgres import drop_database, migrated_database  # noqa: E402
from datapact_testing.processes import celery_worker_process, uvicorn_process  # noqa: E402
from datapact_testing.tokens import admin_token, bearer  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/8"
SECRET = "bench-webhook-secret"
TARGET_P95_SECONDS = 2.0
CHANGED_FILES = 100
WEBHOOK = json.loads((WEBHOOK_BODIES / "pull_request.opened.json").read_text())


def contract(
    name: str, table: str, version: str, extra: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    fields = [
        {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
        *({"name": f"attr_{i:02}", "data_type": "string", "description": f"attribute {i}"}
          for i in range(20)),
        *(extra or []),
    ]  # fmt: skip
    return {
        "name": name, "version": version, "table": table,
        "publisher": {"team": "commerce", "owner": "shop"},
        "schema": fields,
        "subscribers": [{"team": "analytics", "fields_used": ["id", "attr_01", "attr_02"]},
                        {"team": "support"}],
    }  # fmt: skip


MIGRATION = '''"""{message}

Revision ID: {rev}
Revises: {down}
Create Date: 2024-06-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    pass
'''


def migrations() -> dict[str, str]:
    """4 files x 5 operations = 20: adds, type changes, nullability, a rename, drops."""
    ops = [
        [f'op.add_column("orders", sa.Column("loyalty_{i}", sa.Integer(), nullable=True))'
         for i in range(5)],
        [f'op.alter_column("orders", "attr_{i:02}", existing_type=sa.String(), '
         f'type_=sa.String(length=500))' for i in range(3, 8)],
        [f'op.alter_column("customers", "attr_{i:02}", existing_type=sa.String(), nullable=False)'
         for i in range(5)],
        ['op.alter_column("customers", "attr_10", new_column_name="attr_10_renamed")',
         'op.drop_column("customers", "attr_11")',
         'op.add_column("customers", sa.Column("segment", sa.String(length=20), nullable=False, '
         'server_default="retail"))',
         'with op.batch_alter_table("orders") as batch_op:\n'
         '        batch_op.drop_column("attr_19")',
         'op.execute("ALTER TABLE orders ALTER COLUMN attr_18 DROP NOT NULL")'],
    ]  # fmt: skip
    files = {}
    for index, block in enumerate(ops):
        body = "\n".join(f"    {line}" for line in block)
        rev = f"b{index:03}"
        files[f"alembic/versions/{rev}_bench.py"] = MIGRATION.format(
            message=f"bench {index}", rev=rev, down=f"b{index - 1:03}", body=body
        )
    return files


def pull_request(repo: FakeRepo, number: int) -> dict[str, Any]:
    base = repo.commit({
        "contracts/orders.contract.yaml": dump_yaml(contract("orders", "orders", "1.0.0")),
        "contracts/customers.contract.yaml": dump_yaml(contract("customers", "customers", "1.0.0")),
    })  # fmt: skip
    loyalty = [{"name": f"loyalty_{i}", "data_type": "integer"} for i in range(5)]
    files: dict[str, Any] = migrations()
    files["contracts/orders.contract.yaml"] = dump_yaml(
        contract("orders", "orders", "1.1.0", loyalty)
    )
    for i in range(CHANGED_FILES - len(files)):
        files[f"app/shop/module_{number}_{i:03}.py"] = (
            f"def handler_{i}() -> int:\n    return {i}\n"
        )
    head = repo.commit(files, parent=base)
    repo.open_pull(number, base, head)
    payload: dict[str, Any] = json.loads(json.dumps(WEBHOOK))
    payload["number"] = number
    payload["repository"].update(id=repo.id, name=repo.name, full_name=repo.full_name,
                                 default_branch="main")  # fmt: skip
    payload["repository"]["owner"]["login"] = repo.owner
    payload["pull_request"].update(number=number)
    payload["pull_request"]["head"]["sha"] = head
    payload["pull_request"]["base"]["sha"] = base
    return payload


RECEIPTS: list[float] = []


def deliver(api: str, payload: dict[str, Any], delivery: str) -> None:
    body = json.dumps(payload).encode()
    start = time.monotonic()
    response = httpx.post(
        f"{api}/api/v1/webhooks/github", content=body, timeout=10,
        headers={"Content-Type": "application/json", "X-GitHub-Event": "pull_request",
                 "X-GitHub-Delivery": delivery, "X-Hub-Signature-256": sign(SECRET.encode(), body)},
    )  # fmt: skip
    RECEIPTS.append(time.monotonic() - start)
    if response.status_code != 202:
        raise RuntimeError(f"delivery refused: {response.status_code} {response.text}")


def completed_at(gh: FakeGitHub, head: str, timeout: float = 60.0) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for run in gh.runs_for(head):
            if run.get("_completed_monotonic"):
                return float(run["_completed_monotonic"])
        time.sleep(0.002)
    raise RuntimeError(f"check run for {head[:12]} not completed in {timeout} s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered)) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=20)
    args = parser.parse_args()
    redis.Redis.from_url(REDIS_URL).flushdb()
    database_url = migrated_database(SERVICE_DIR, "bench_github")
    database = database_url.rsplit("/", 1)[1]
    gh = FakeGitHub().start()
    sink = HttpSink(response_body=b'{"status": "accepted"}').start()
    env = {
        "ENVIRONMENT": "test", "CONTRACT_DATABASE_URL": database_url, "DATABASE_URL": database_url,
        "CONTRACT_REDIS_URL": REDIS_URL, "DATAPACT_SECRET_KEY": DEVELOPMENT_SECRET,
        "DICTIONARY_NUDGE_ENABLED": "false", "NOTIFICATION_SERVICE_URL": sink.url,
        "GITHUB_WEBHOOK_SECRET": SECRET, "GITHUB_API_URL": gh.url, "GITHUB_APP_ID": gh.app_id,
        "GITHUB_APP_PRIVATE_KEY": gh.private_key_pem, "GITHUB_TOKEN": "", "LOG_LEVEL": "WARNING",
    }  # fmt: skip
    api = uvicorn_process("contract-api", "contract_service.main:app", env=env, cwd=SERVICE_DIR)
    worker = celery_worker_process(
        "contract-worker", "contract_service.worker.celery_app", env=env, queues=["contracts"],
        concurrency=2, cwd=SERVICE_DIR,
    )  # fmt: skip
    try:
        api.start()
        worker.start()
        base_url = api.base_url or ""
        for document in (contract("orders", "orders", "1.0.0"),
                         contract("customers", "customers", "1.0.0")):  # fmt: skip
            created = httpx.post(f"{base_url}/api/v1/contracts", json=document,
                                 headers=bearer(admin_token()), timeout=10)  # fmt: skip
            created.raise_for_status()
        repo = gh.add_repo("acme", "shop")
        # warm-up: imports, the installation token, connection set-up
        warm = pull_request(repo, 1)
        deliver(base_url, warm, "warm-up")
        completed_at(gh, warm["pull_request"]["head"]["sha"])

        sequential: list[float] = []
        conclusions: set[str] = set()
        for n in range(args.deliveries):
            payload = pull_request(repo, 100 + n)
            head = payload["pull_request"]["head"]["sha"]
            start = time.monotonic()
            deliver(base_url, payload, f"seq-{n}")
            sequential.append(completed_at(gh, head) - start)
            conclusions |= {r["conclusion"] for r in gh.runs_for(head)}

        burst_payloads = [pull_request(repo, 200 + n) for n in range(args.deliveries)]
        starts = {}
        for n, payload in enumerate(burst_payloads):
            starts[payload["pull_request"]["head"]["sha"]] = time.monotonic()
            deliver(base_url, payload, f"burst-{n}")
        burst = [completed_at(gh, head) - start for head, start in starts.items()]
        annotations = max(len(v) for v in gh.annotations.values())
    except Exception:
        print(worker.logs(), file=sys.stderr)
        raise
    finally:
        worker.stop()
        api.stop()
        sink.stop()
        gh.stop()
        drop_database(database)
        redis.Redis.from_url(REDIS_URL).flushdb()
    p95 = percentile(sequential, 0.95)
    print(json.dumps({
        "benchmark": "github_pr_check",
        "what": "webhook receipt -> completed check run (real API + Celery worker, fake GitHub)",
        "deliveries": len(sequential),
        "changed_files": CHANGED_FILES,
        "migration_operations": 20,
        "annotations_per_check": annotations,
        "conclusions": sorted(conclusions),
        "sequential_p50_s": round(statistics.median(sequential), 3),
        "sequential_p95_s": round(p95, 3),
        "sequential_max_s": round(max(sequential), 3),
        "burst_of": len(burst),
        "burst_p50_s": round(statistics.median(burst), 3),
        "burst_p95_s": round(percentile(burst, 0.95), 3),
        "burst_max_s": round(max(burst), 3),
        "receipt_p95_ms": round(1000 * percentile(RECEIPTS, 0.95), 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "targets_met": {
            f"sequential_p95<={TARGET_P95_SECONDS:g}s (absolute)": p95 <= TARGET_P95_SECONDS
        },
    }))  # fmt: skip


if __name__ == "__main__":
    main()
