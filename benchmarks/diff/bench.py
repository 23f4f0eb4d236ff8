"""Change classification of a 10,000-field contract (issue 11): `diff_contracts` between two
versions that differ in every way the diff knows, with subscribers that use some fields.

Prints one JSON line. Target: the diff well under 0.5 s of CPU (it was quadratic: 17-35 s).
CPU time is the figure to compare: on the shared 2-core machine wall time follows the load.

    .venv/bin/python benchmarks/diff/bench.py [--fields 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Any

from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import diff_contracts

TARGET_SECONDS = 0.5
TYPES = ["string", "integer", "decimal", "boolean", "timestamp", "date", "uuid", "json"]


def field(i: int, *, changed: bool) -> dict[str, Any]:
    """Field ``i``; ``changed`` applies the change its number selects (one in six kinds)."""
    data: dict[str, Any] = {
        "name": f"field_{i:05d}",
        "data_type": TYPES[i % len(TYPES)] if i % len(TYPES) != 0 else "string",
        "description": f"field {i}",
        "nullable": True,
    }
    if data["data_type"] == "string":
        data["constraints"] = [
            {"type": "max_length", "value": 255},
            {"type": "enum", "value": [f"v{n}" for n in range(20)]},
        ]
    if not changed:
        return data
    kind = i % 6
    if kind == 0:
        data["name"] = f"renamed_{i:05d}"  # unambiguous rename (unique description)
    elif kind == 1:
        data["data_type"] = "json" if data["data_type"] != "json" else "string"
        data.pop("constraints", None)
    elif kind == 2:
        data["nullable"] = False
    elif kind == 3:
        data["description"] = f"field {i}, documented again"
    elif kind == 4 and "constraints" in data:
        data["constraints"] = [
            {"type": "max_length", "value": 1000},
            {"type": "enum", "value": [f"v{n}" for n in range(5, 30)]},
        ]
    else:
        data["is_pii"] = True
    return data


def contract(fields: int, version: str, *, changed: bool) -> ContractDefinition:
    schema = [
        {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True},
        *(field(i, changed=changed) for i in range(1, fields)),
    ]
    if changed:  # some removed, some added
        schema = [f for n, f in enumerate(schema) if n == 0 or n % 50 != 7]
        schema += [{"name": f"added_{n:05d}", "data_type": "string"} for n in range(200)]
    subscribers = [
        {"team": f"team_{t}", "fields_used": [f"field_{i:05d}" for i in range(t + 1, fields, 20)]}
        for t in range(20)
    ] + [{"team": "everything_a"}, {"team": "everything_b"}]
    return ContractDefinition.model_validate(
        {
            "name": "wide_dataset",
            "version": version,
            "publisher": {"team": "bench", "owner": "bench"},
            "schema": schema,
            "subscribers": subscribers if not changed else [],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fields", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    old = contract(args.fields, "1.0.0", changed=False)
    new = contract(args.fields, "2.0.0", changed=True)
    build = time.perf_counter() - started
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(args.rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        report = diff_contracts(old, new)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    kinds: dict[str, int] = {}
    for change in report.changes:
        kinds[change.kind] = kinds.get(change.kind, 0) + 1
    print(json.dumps({
        "benchmark": "diff",
        "what": "diff_contracts between two versions of a contract with this many fields",
        "fields": args.fields,
        "subscribers": len(old.subscribers),
        "changes": len(report.changes),
        "change_kinds": len(kinds),
        "required_bump": report.required_bump,
        "rounds": args.rounds,
        "diff_cpu_median_s": round(statistics.median(cpu), 3),
        "diff_cpu_max_s": round(max(cpu), 3),
        "diff_wall_median_s": round(statistics.median(times), 3),
        "validate_both_documents_s": round(build, 3),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "targets_met": {f"diff_cpu<{TARGET_SECONDS:g}s": statistics.median(cpu) < TARGET_SECONDS},
    }))  # fmt: skip


if __name__ == "__main__":
    main()
