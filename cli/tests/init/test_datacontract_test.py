"""datacontract-cli's `datacontract test` on DataPact's ODCS export, against a real PostgreSQL
database (slow: `make e2e`, not `make test`).

The path a team takes: `datapact init --from-db` drafts the contract of a live table,
people add SLAs, `datapact export --file … --format odcs` writes ODCS, and the team adds
its server block and runs datacontract-cli (its own virtual environment, with the
`postgres` extra) on the same clean data. Every check it runs must pass - the physical
types (`smallint` among them), the enum's labels, the domain's CHECK, the NOT NULL and unique
fields - and it must run DataPact's SLAs: freshness (exported with its `element`),
completeness and uniqueness (as `nullValues`/`duplicateValues` rules). A domain column's
physical type is its base type and an enum column has none (`init` says so in the file's
"Left out" lines), as information_schema, which datacontract-cli reads, has them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import Result

from datapact_common.yaml_io import dump_yaml, load_yaml
from datapact_testing import datacontract_cli
from datapact_testing import postgres as pg

pytestmark = pytest.mark.e2e
Cli = Callable[..., Result]

SCHEMA = """
CREATE DOMAIN sku_code AS varchar(12) CHECK (VALUE ~ '^[A-Z0-9-]+$');
CREATE TYPE product_state AS ENUM ('draft', 'listed', 'retired');
CREATE TABLE product (
    id integer PRIMARY KEY,
    sku sku_code NOT NULL UNIQUE,
    name varchar(80) NOT NULL,
    stock smallint NOT NULL CHECK (stock >= 0),
    price numeric(10,2) NOT NULL CHECK (price >= 0.01),
    weight real,
    state product_state NOT NULL,
    updated_at timestamp with time zone NOT NULL DEFAULT now()
);
COMMENT ON TABLE product IS 'What the shop sells';
INSERT INTO product (id, sku, name, stock, price, weight, state) VALUES
    (1, 'AB-100', 'Kettle', 12, 29.90, 1.2, 'listed'),
    (2, 'AB-200', 'Toaster', 0, 34.50, NULL, 'draft'),
    (3, 'CD-300', 'Teapot', 250, 12.00, 0.8, 'listed'),
    (4, 'EF-400', 'Mug', 32000, 4.99, 0.3, 'retired');
"""
SERVER = "shop"


@pytest.fixture
def shop_database() -> Iterator[str]:
    name = pg.test_database_name("test_cli_datacontract_test")
    pg.create_database(name)
    with psycopg.connect(pg.sync_dsn(name), autocommit=True) as connection:
        connection.execute(SCHEMA.encode())
    yield name
    pg.drop_database(name)


@pytest.fixture(scope="session")
def peer() -> Path:
    try:
        return datacontract_cli.ensure("postgres")
    except datacontract_cli.PeerUnavailableError as exc:
        pytest.skip(str(exc))


def _with_slas(path: Path) -> None:
    """What people add to the draft: its team, and the SLAs datacontract-cli can run."""
    document = load_yaml(path.read_text(encoding="utf-8"))
    document["publisher"] = {"team": "catalogue", "owner": "ann"}
    document.get("metadata", {}).pop("review", None)
    document["quality"] = [
        {"metric_type": "freshness", "threshold": "1d", "measurement_method": "updated_at"},
        {"metric_type": "completeness", "threshold": "70%"},  # weight: 1 of 4 is NULL
        {"metric_type": "uniqueness", "threshold": "100%"},
    ]
    path.write_text(dump_yaml(document), encoding="utf-8")


def _tested(cli: Cli, database: str, tmp_path: Path) -> dict[str, Any]:
    """Draft, add SLAs, export to ODCS, add the server, run `datacontract test`: its result."""
    url = pg.sync_dsn(database)
    out = tmp_path / "contracts"
    drafted = cli("init", "--from-db", url, "--out", str(out))
    assert drafted.exit_code == 0, drafted.output
    contract = out / "product.yaml"
    _with_slas(contract)
    assert cli("validate", str(contract)).exit_code == 0
    exported = cli("export", "--file", str(contract), "--format", "odcs")
    assert exported.exit_code == 0, exported.output
    document: dict[str, Any] = load_yaml(exported.stdout)
    properties = {p["name"]: p for p in document["schema"][0]["properties"]}
    assert properties["stock"]["physicalType"] == "smallint"  # not DataPact's `integer`
    assert properties["sku"]["physicalType"] == "character varying(12)"  # domain sku_code
    assert "physicalType" not in properties["state"]  # enum product_state: USER-DEFINED
    host, port = _host_port()
    document["servers"] = [
        {
            "server": SERVER, "type": "postgres", "host": host, "port": port,
            "database": database, "schema": "public",
        },
        *document.get("servers", []),
    ]  # fmt: skip
    odcs = tmp_path / "product.odcs.yaml"
    odcs.write_text(dump_yaml(document), encoding="utf-8")
    env = {
        **os.environ,
        "DATACONTRACT_POSTGRES_USERNAME": _user(),
        "DATACONTRACT_POSTGRES_PASSWORD": _password(),
    }
    output = tmp_path / "result.json"
    run = datacontract_cli.run_test(odcs, SERVER, env, output)
    assert output.exists(), f"no result:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return result


def test_datacontract_test_passes_every_check_and_sla_of_the_export(
    cli: Cli, peer: Path, shop_database: str, tmp_path: Path
) -> None:
    result = _tested(cli, shop_database, tmp_path)
    checks = result["checks"]
    failed = [c for c in checks if c["result"] != "passed"]
    assert failed == [], json.dumps(failed, indent=1)[:4000]
    assert result["result"] == "passed"
    ran = Counter(str(c["type"]) for c in checks)
    assert ran["servicelevel_freshness"] == 1  # the freshness SLA, exported with its element
    assert ran["field_null_values"] == 1  # completeness: weight, the one nullable field
    assert ran["field_duplicate_values"] == 2  # uniqueness: the key and the unique sku
    # every column's physical type but the enum's (smallint, the domain's base type too)
    assert ran["field_physical_type"] == 7 and ran["field_type"] == 1
    assert ran["field_required"] == 7 and ran["field_minimum"] == 2
    assert ran["field_enum"] == 1 and ran["field_regex"] == 1  # the enum and the domain CHECK
    assert len(checks) == 33


def _dsn_parts() -> Any:
    from urllib.parse import urlsplit

    return urlsplit(pg.sync_dsn("postgres"))


def _host_port() -> tuple[str, int]:
    parts = _dsn_parts()
    return parts.hostname or "127.0.0.1", parts.port or 5432


def _user() -> str:
    return str(_dsn_parts().username or "postgres")


def _password() -> str:
    return str(_dsn_parts().password or "postgres")  # trust auth: the CLI wants a value
