"""datacontract-cli on the agent benchmark's tables: the same contracts, exported to ODCS.

Each DataPact contract goes through DataPact's own exporter (``datapact_common.odcs``); the
benchmark adds only a ``postgres`` server naming the scratch database (credentials in the
``DATACONTRACT_POSTGRES_*`` variables, as datacontract-cli documents). Then ``datacontract
test`` runs once per contract, as a user or a CI job would, and the checks it ran are counted
from its JSON result: ``passed`` and ``failed`` ones ran; a ``warning`` is a check it could not
run (a foreign key to a table of another contract), an ``error`` one that broke. Data checks
are those that read rows; the others (a column is present, has its type) read the catalogue.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from datapact_common.contract_schema import ContractDefinition
from datapact_common.odcs import to_odcs
from datapact_common.yaml_io import dump_yaml

ROOT = Path(__file__).resolve().parents[2]
PEER = ROOT / "benchmarks" / "compliance" / ".venv-peer" / "bin" / "datacontract"
SERVER = "bench"
CATALOGUE_CHECKS = {"field_is_present", "field_type"}


def odcs_document(contract: dict[str, Any], database: str) -> dict[str, Any]:
    """DataPact's ODCS export of ``contract`` with a server block for ``database``."""
    document = to_odcs(ContractDefinition.model_validate(contract))
    server = {
        "server": SERVER,
        "type": "postgres",
        "host": "127.0.0.1",
        "port": 5432,
        "database": database,
        "schema": "public",
    }
    document["servers"] = [server, *document.get("servers", [])]
    return document


def run(contracts: list[dict[str, Any]], database: str, scratch: Path) -> dict[str, Any]:
    """``datacontract test`` once per contract: wall seconds, checks ran, their results."""
    if not PEER.exists():
        raise SystemExit(f"{PEER} is missing: run benchmarks/agent/run.sh to create it")
    env = {
        **os.environ,
        "DATACONTRACT_POSTGRES_USERNAME": "postgres",
        "DATACONTRACT_POSTGRES_PASSWORD": "postgres",  # trust auth; the CLI wants a value
    }
    per_table: dict[str, dict[str, Any]] = {}
    for contract in contracts:
        path = scratch / f"{contract['name']}.odcs.yaml"
        output = scratch / f"{contract['name']}.result.json"
        path.write_text(dump_yaml(odcs_document(contract, database)), encoding="utf-8")
        command = [str(PEER), "test", str(path), "--server", SERVER]
        started = time.perf_counter()
        result = subprocess.run(
            [*command, "--output-format", "json", "--output", str(output)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        if not output.exists():  # failed checks are a result; no result is a broken run
            raise SystemExit(f"datacontract test gave no result for {path}:\n{result.stdout}")
        per_table[contract["table"]] = _summary(json.loads(output.read_text()), wall)
    version = subprocess.run([str(PEER), "--version"], capture_output=True, text=True, check=False)
    return {"version": version.stdout.strip(), "tables": per_table}


def _summary(result: dict[str, Any], wall: float) -> dict[str, Any]:
    counts = Counter(str(check["result"]) for check in result["checks"])
    ran = [c for c in result["checks"] if c["result"] in ("passed", "failed")]
    start, end = (datetime.fromisoformat(result[k]) for k in ("timestampStart", "timestampEnd"))
    return {
        "wall_s": round(wall, 3),
        "reported_s": round((end - start).total_seconds(), 3),
        "checks": counts["passed"] + counts["failed"],
        "data_checks": sum(1 for c in ran if c["type"] not in CATALOGUE_CHECKS),
        "failed": counts["failed"],
        "not_run": {k: v for k, v in counts.items() if k not in ("passed", "failed")},
    }
