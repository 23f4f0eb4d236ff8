"""`datapact init --from-db` on MariaDB and DuckDB (a database file, and a folder of data
files): drafts that validate, and that the data agent serving the same data finds kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

Cli = Callable[..., Result]


def _init(cli: Cli, url: str, out: Path) -> tuple[Result, list[str]]:
    """Draft, validate every file; (the run, the contract files' names)."""
    result = cli("init", "--from-db", url, "--out", str(out))
    assert result.exit_code == 0, result.output
    files = sorted(out.iterdir())
    validated = cli("validate", *(str(p) for p in files))
    assert validated.exit_code == 0, validated.output
    return result, [p.stem for p in files]


async def test_mariadb(
    cli: Cli, library_mariadb_url: str, tmp_path: Path, document: Any, agent_round_trip: Any
) -> None:
    result, names = _init(cli, library_mariadb_url, tmp_path)
    assert names == [
        "active_member", "book", "copy", "loan", "member",
    ]  # fmt: skip
    member = {f["name"]: f for f in document(tmp_path / "member.yaml")["schema"]}
    assert member["status"]["constraints"] == [
        {"type": "enum", "value": ["active", "suspended", "closed"]}
    ]
    assert member["status"]["description"] == "Closed members keep their history"
    assert (member["newsletter"]["data_type"], member["newsletter"]["physical_type"]) == (
        "boolean",
        "tinyint(1)",
    )
    assert member["id"]["physical_type"] == "int"  # without MariaDB's display width
    assert member["visits"]["physical_type"] == "int unsigned"
    assert member["credit"]["constraints"] == [
        {"type": "min", "value": 0},
        {"type": "max", "value": 1000},
    ]
    assert member["first_name"]["constraints"] == [
        {"type": "expression", "value": "first_name <> last_name OR last_name IS NULL"}
    ]
    book = {f["name"]: f for f in document(tmp_path / "book.yaml")["schema"]}
    assert book["isbn"]["constraints"] == [{"type": "regex", "value": "^[0-9]{13}$"}]
    assert book["pages"]["constraints"] == [{"type": "min", "value": 1}]
    assert book["language"]["constraints"] == [{"type": "enum", "value": ["en", "fr", "de"]}]
    assert book["extra"]["data_type"] == "string"  # MariaDB's JSON is a longtext
    assert "MariaDB's JSON type is a longtext" in result.stderr
    assert "column 'book.opens': type time has no contract data type" in result.stderr
    loan = {f["name"]: f for f in document(tmp_path / "loan.yaml")["schema"]}
    assert loan["member_id"]["foreign_key_reference"] == "member.id"
    assert loan["due_on"]["constraints"] == [{"type": "expression", "value": "due_on > lent_on"}]
    counted = await agent_round_trip(library_mariadb_url, tmp_path, {"book": ["opens"]})
    assert counted > 30


async def test_duckdb_file(
    cli: Cli, library_duckdb_url: str, tmp_path: Path, document: Any, agent_round_trip: Any
) -> None:
    _, names = _init(cli, library_duckdb_url, tmp_path)
    assert names == ["active_member", "book", "loan", "member"]
    member = document(tmp_path / "member.yaml")
    assert member["description"] == "People who may borrow books"
    fields = {f["name"]: f for f in member["schema"]}
    assert fields["status"]["data_type"] == "enum"
    assert fields["tags"]["data_type"] == "array"
    assert fields["photo"]["data_type"] == "binary"
    assert fields["joined_at"]["data_type"] == "timestamp"
    book = {f["name"]: f for f in document(tmp_path / "book.yaml")["schema"]}
    assert book["isbn"]["constraints"] == [{"type": "regex", "value": "^[0-9]{13}$"}]
    assert book["published"]["constraints"] == [
        {"type": "min", "value": 1450},
        {"type": "max", "value": 2100},
    ]
    counted = await agent_round_trip(library_duckdb_url, tmp_path, {"book": ["opens"]})
    assert counted > 25


async def test_duckdb_folder_of_data_files(
    cli: Cli, tmp_path: Path, document: Any, agent_round_trip: Any
) -> None:
    import duckdb

    data = tmp_path / "exports"
    data.mkdir()
    with duckdb.connect() as connection:
        connection.execute(
            "COPY (SELECT * FROM (VALUES (1, 'ann@example.com', 12.5), (2, 'bob@example.com', "
            f"0.0)) t(id, email, amount)) TO '{data / 'orders.parquet'}' (FORMAT parquet)"
        )
    (data / "cities.csv").write_text("code,name\nLD,London\nPA,Paris\n", encoding="utf-8")
    out = tmp_path / "contracts"
    _init(cli, f"duckdb://{data}", out)
    orders = document(out / "orders.yaml")
    assert [(f["name"], f["data_type"]) for f in orders["schema"]] == [
        ("id", "integer"),
        ("email", "string"),
        ("amount", "decimal"),
    ]
    assert all("nullable" not in f for f in orders["schema"])  # files declare nothing
    # Files declare no key, NOT NULL or CHECK: the agent checks only that each of the 5
    # columns is present with its type, and each check passes.
    assert await agent_round_trip(f"duckdb://{data}", out, {}) == 10


@pytest.mark.parametrize("scheme", ["mysql", "mariadb"])
def test_unknown_mariadb_database_is_named(cli: Cli, library_mariadb_url: str, scheme: str,
                                           tmp_path: Path) -> None:  # fmt: skip
    base = library_mariadb_url.rsplit("/", 1)[0].replace("mysql://", f"{scheme}://")
    result = cli("init", "--from-db", f"{base}/no_such_db", "--out", str(tmp_path))
    assert result.exit_code == 5
    assert "Unknown database 'no_such_db'" in result.stderr
