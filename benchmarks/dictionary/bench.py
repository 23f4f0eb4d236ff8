"""Dictionary benchmark (issue 5): search latency, initial sync, and the spec's design.

1. Fill a throwaway contract-service database with N contracts (default 10,000 x 20
   fields) through the contract-service's own service layer (ContractService.create,
   in-process, committed in batches): the same rows its API writes, without 10,000 HTTP
   round trips.
2. Start a real contract-api (uvicorn) on it and time the dictionary's initial sync from
   that API into an empty dictionary database (Synchronizer.run, the code the
   dictionary-api's background task runs: pages of 500 over HTTP, bulk upserts).
3. Start a real dictionary-api and time 20 fixed queries (exact, prefix, typo, filtered)
   over HTTP, several rounds; report p50/p95. Then create contracts through the
   contract-api (which nudges the dictionary after its commit) and time how long each
   takes to become searchable.
4. Baseline, in the same run: the spec's design (Task 3.1) — per query, fetch every
   contract over HTTP from the contract-api (paged, since one page is capped at 500) and
   filter fields in Python.

Prints one JSON line. `--contracts/--fields/--rounds` for a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
from dataset import TEAMS, generate  # noqa: E402

from datapact_testing.postgres import drop_database, migrated_database  # noqa: E402
from datapact_testing.processes import free_port, uvicorn_process  # noqa: E402
from datapact_testing.tokens import admin_token, bearer  # noqa: E402

CONTRACT_DIR = ROOT / "services" / "contract-service"
DICTIONARY_DIR = ROOT / "services" / "dictionary-service"
SEARCH_TARGET_P95_MS = 30.0
SPEEDUP_TARGET = 150.0  # search p95 against the specification's design, same run
SYNC_TARGET_SECONDS = 60.0
FRESHNESS_TARGET_MS = 5000.0

# (category, query parameters): fixed, so runs compare.
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("exact", {"q": "customer_id"}),
    ("exact", {"q": "order_total"}),
    ("exact", {"q": "shipment_status"}),
    ("exact", {"q": "email"}),
    ("exact", {"q": "invoice_date"}),
    ("prefix", {"q": "cust"}),
    ("prefix", {"q": "warehou"}),
    ("prefix", {"q": "paym"}),
    ("prefix", {"q": "refund_am"}),
    ("prefix", {"q": "subscr"}),
    ("typo", {"q": "custmer"}),
    ("typo", {"q": "adress"}),
    ("typo", {"q": "shippment"}),
    ("typo", {"q": "invoce_date"}),
    ("typo", {"q": "warehose"}),
    ("filtered", {"q": "amount", "data_type": "decimal"}),
    ("filtered", {"q": "email", "is_pii": "true"}),
    ("filtered", {"q": "status", "team": TEAMS[3]}),
    ("filtered", {"tag": "gdpr", "is_pii": "true"}),
    ("filtered", {"q": "card id", "status": "active", "data_type": "uuid"}),
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


async def load_registry(database_url: str, documents: list[dict[str, Any]]) -> float:
    os.environ["CONTRACT_DATABASE_URL"] = database_url
    from contract_service.contracts.service import ContractService
    from contract_service.database import get_engine, get_sessionmaker

    started = time.perf_counter()
    maker = get_sessionmaker()
    for start in range(0, len(documents), 250):
        async with maker() as session:
            for document in documents[start : start + 250]:
                await ContractService.create(session, document, "benchmark")
            await session.commit()
    await get_engine().dispose()
    return time.perf_counter() - started


async def initial_sync(database_url: str, contracts_url: str) -> tuple[float, Any]:
    from datapact_common.db import make_sessionmaker
    from dictionary_service.database import create_engine
    from dictionary_service.sync.client import ContractServiceClient
    from dictionary_service.sync.service import Synchronizer

    engine = create_engine(database_url)
    try:
        synchronizer = Synchronizer(
            engine,
            make_sessionmaker(engine),
            lambda: ContractServiceClient(contracts_url, timeout=120, page_size=500),
        )
        started = time.perf_counter()
        result = await synchronizer.run()
        return time.perf_counter() - started, result
    finally:
        await engine.dispose()


def time_dictionary(base_url: str, rounds: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    with httpx.Client(base_url=base_url, timeout=30) as http:
        for _, params in QUERIES:  # warm up
            http.get("/api/v1/dictionary/search", params=params).raise_for_status()
        for _ in range(rounds):
            for category, params in QUERIES:
                started = time.perf_counter()
                response = http.get("/api/v1/dictionary/search", params=params)
                elapsed = (time.perf_counter() - started) * 1000
                response.raise_for_status()
                timings.setdefault(category, []).append(elapsed)
    return timings


def time_change_to_searchable(contracts_url: str, dictionary_url: str, count: int) -> list[float]:
    """POST a new contract to the registry; poll the dictionary until a search finds it."""
    timings = []
    headers = bearer(admin_token())
    with httpx.Client(timeout=30) as http:
        for index in range(count):
            name = f"freshly_created_{index}"
            document = {
                "name": name,
                "version": "1.0.0",
                "publisher": {"team": "bench", "owner": "bench"},
                "schema": [{"name": f"fresh_marker_{index}_id", "data_type": "uuid"}],
            }
            started = time.perf_counter()
            response = http.post(
                f"{contracts_url}/api/v1/contracts", json=document, headers=headers
            )
            response.raise_for_status()
            while True:
                found = http.get(
                    f"{dictionary_url}/api/v1/dictionary/search",
                    params={"q": name, "kind": "dataset"},
                ).json()
                if any(hit["dataset"] == name for hit in found["results"]):
                    break
                if time.perf_counter() - started > 60:
                    raise SystemExit(f"{name} not searchable after 60 s")
                time.sleep(0.02)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def spec_search(contracts_url: str, params: dict[str, str]) -> list[dict[str, Any]]:
    """Task 3.1's get_full_dictionary + search_fields, with every page fetched."""
    fields: list[dict[str, Any]] = []
    with httpx.Client(base_url=contracts_url, timeout=120) as http:
        skip = 0
        while True:
            page = http.get("/api/v1/contracts", params={"limit": 500, "skip": skip}).json()
            for contract in page["contracts"]:
                for field in contract.get("schema", []):
                    fields.append(
                        {
                            "name": field["name"],
                            "dataset": contract["name"],
                            "data_type": field["data_type"],
                            "description": field.get("description"),
                            "is_pii": field.get("is_pii", False),
                            "publisher_team": contract["publisher"]["team"],
                            "status": contract["status"],
                            "tags": contract.get("tags", []),
                        }
                    )
            skip += len(page["contracts"])
            if not page["contracts"] or skip >= page["total"]:
                break
    query = params.get("q", "").lower()
    results = []
    for field in fields:
        text_match = query in field["name"].lower() or (
            field["description"] and query in field["description"].lower()
        )
        if query and not text_match:
            continue
        if "data_type" in params and field["data_type"] != params["data_type"]:
            continue
        if "is_pii" in params and field["is_pii"] != (params["is_pii"] == "true"):
            continue
        if "team" in params and field["publisher_team"] != params["team"]:
            continue
        if "tag" in params and params["tag"] not in field["tags"]:
            continue
        if "status" in params and field["status"] != params["status"]:
            continue
        results.append(field)
    return results


def time_baseline(contracts_url: str, queries: int) -> list[float]:
    timings = []
    for _, params in QUERIES[:queries]:
        started = time.perf_counter()
        spec_search(contracts_url, params)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--fields", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10, help="rounds of the 20 queries")
    parser.add_argument("--baseline-queries", type=int, default=len(QUERIES))
    args = parser.parse_args()

    documents = generate(args.contracts, args.fields)
    contracts_db = migrated_database(CONTRACT_DIR, "bench_dict_contracts")
    dictionary_db = migrated_database(DICTIONARY_DIR, "bench_dictionary")
    dictionary_port = free_port()
    contract_env = {
        "CONTRACT_DATABASE_URL": contracts_db,
        "CONTRACT_REDIS_URL": "redis://127.0.0.1:6379/13",
        "ENVIRONMENT": "test",
        "DICTIONARY_SERVICE_URL": f"http://127.0.0.1:{dictionary_port}",
        "LOG_LEVEL": "WARNING",
    }
    dictionary_env = {
        "DICTIONARY_DATABASE_URL": dictionary_db,
        "ENVIRONMENT": "test",
        "DICTIONARY_SYNC_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }
    load_before = os.getloadavg()[0]
    try:
        load_seconds = asyncio.run(load_registry(contracts_db, documents))
        with uvicorn_process(
            "bench-contract-api", "contract_service.main:app", env=contract_env
        ) as contract_api:
            contracts_url = contract_api.base_url or ""
            sync_seconds, result = asyncio.run(initial_sync(dictionary_db, contracts_url))
            if not result.ok:
                raise SystemExit(f"initial sync failed: {result.error}")
            dictionary_env["CONTRACT_SERVICE_URL"] = contracts_url
            with uvicorn_process(
                "bench-dictionary-api",
                "dictionary_service.main:app",
                env=dictionary_env,
                port=dictionary_port,
            ) as dictionary_api:
                base_url = dictionary_api.base_url or ""
                summary = httpx.get(f"{base_url}/api/v1/dictionary", timeout=60).json()
                while summary["sync"]["running"]:  # the start-up pass (nothing new)
                    time.sleep(0.2)
                    summary = httpx.get(f"{base_url}/api/v1/dictionary", timeout=60).json()
                timings = time_dictionary(base_url, args.rounds)
                freshness = time_change_to_searchable(contracts_url, base_url, 5)
            baseline = time_baseline(contracts_url, args.baseline_queries)
    finally:
        for url in (contracts_db, dictionary_db):
            drop_database(url.rsplit("/", 1)[1])

    load_after = os.getloadavg()[0]
    every = [t for values in timings.values() for t in values]
    p50, p95 = statistics.median(every), percentile(every, 0.95)
    baseline_p50 = statistics.median(baseline)
    baseline_p95 = percentile(baseline, 0.95)
    speedup_p95 = baseline_p95 / p95
    print(
        json.dumps(
            {
                "benchmark": "dictionary",
                "ratios": {
                    "search_p95_speedup_vs_spec_design": round(speedup_p95, 1),
                    "search_p50_speedup_vs_spec_design": round(baseline_p50 / p50, 1),
                },
                "contracts": args.contracts,
                "fields": summary["summary"]["total_fields"],
                "datasets_in_dictionary": summary["summary"]["total_datasets"],
                "registry_load": "ContractService.create in-process, batches of 250",
                "registry_load_seconds": round(load_seconds, 1),
                "initial_sync_seconds": round(sync_seconds, 2),
                "initial_sync_contracts": result.received,
                "search_samples": len(every),
                "search_p50_ms": round(p50, 2),
                "search_p95_ms": round(p95, 2),
                "search_max_ms": round(max(every), 2),
                "search_p95_ms_by_kind": {
                    k: round(percentile(v, 0.95), 2) for k, v in sorted(timings.items())
                },
                "baseline": "spec Task 3.1: fetch all contracts over HTTP, filter in Python",
                "baseline_queries": len(baseline),
                "baseline_p50_ms": round(baseline_p50, 1),
                "baseline_p95_ms": round(baseline_p95, 1),
                "change_to_searchable_ms": [round(t) for t in freshness],
                "load_average_1m": [round(load_before, 2), round(load_after, 2)],
                "cpus": os.cpu_count(),
                "targets_met": {
                    f"search_p95>={SPEEDUP_TARGET:g}x_spec_design": speedup_p95 >= SPEEDUP_TARGET,
                    f"search_p95<={SEARCH_TARGET_P95_MS:g}ms (absolute)": p95
                    <= SEARCH_TARGET_P95_MS,
                    f"initial_sync<={SYNC_TARGET_SECONDS:g}s (absolute)": sync_seconds
                    <= SYNC_TARGET_SECONDS,
                    f"change_to_searchable<={FRESHNESS_TARGET_MS:g}ms (absolute)": max(freshness)
                    <= FRESHNESS_TARGET_MS,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
