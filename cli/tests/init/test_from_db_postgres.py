"""`datapact init --from-db` on real PostgreSQL: a schema with enums, domains, arrays, bytea,
tsvector, generated and identity columns, a partitioned table, views, comments and CHECKs;
every drafted contract valid, and kept by the data agent serving that database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from datapact_common.yaml_io import load_yaml_documents

Cli = Callable[..., Result]


@pytest.fixture
def drafted(cli: Cli, library_url: str, tmp_path: Path) -> tuple[Result, Path]:
    out = tmp_path / "contracts"
    result = cli("init", "--from-db", library_url, "--out", str(out))
    assert result.exit_code == 0, result.output
    return result, out


def _document(out: Path, name: str) -> dict[str, Any]:
    documents = load_yaml_documents((out / f"{name}.yaml").read_text(encoding="utf-8"))
    document: dict[str, Any] = documents[0]
    return document


def _fields(out: Path, name: str) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in _document(out, name)["schema"]}


def test_one_valid_contract_per_table_and_view(cli: Cli, drafted: tuple[Result, Path]) -> None:
    result, out = drafted
    assert sorted(p.name for p in out.iterdir()) == [
        "active_member.yaml", "book.yaml", "books_per_year.yaml", "branch.yaml", "copy.yaml",
        "loan.yaml", "member.yaml",
    ]  # fmt: skip
    assert "loan_2024" in result.stderr  # partitions are read through their table
    validated = cli("validate", *sorted(str(p) for p in out.iterdir()))
    assert validated.exit_code == 0, validated.output
    assert validated.stdout.count("is valid") == 7


def test_types_keys_and_comments(drafted: tuple[Result, Path]) -> None:
    _, out = drafted
    member = _document(out, "member")
    assert member["description"] == "People who may borrow books"
    assert member["table"] == "member"
    fields = {f["name"]: f for f in member["schema"]}
    assert fields["id"] == {
        "name": "id",
        "data_type": "integer",
        "physical_type": "integer",
        "nullable": False,
        "is_primary_key": True,
    }
    assert fields["email"]["unique"] is True
    assert fields["status"]["data_type"] == "enum"
    assert fields["status"]["description"] == "Closed members keep their history"
    assert fields["status"]["constraints"] == [
        {"type": "enum", "value": ["active", "suspended", "closed"]}
    ]
    assert fields["joined_at"]["data_type"] == "timestamp"  # with time zone
    assert fields["last_seen"]["data_type"] == "datetime"  # without
    book = _fields(out, "book")
    assert book["isbn"]["physical_type"] == "text"  # domain isbn13: its base type
    assert book["isbn"]["data_type"] == "string"
    assert book["isbn"]["nullable"] is False  # the domain's NOT NULL
    assert book["tags"]["data_type"] == "array"
    assert book["cover"]["data_type"] == "binary"
    assert book["search"]["data_type"] == "full_text"
    assert book["price_with_tax"]["data_type"] == "decimal"  # generated
    assert "shelf" not in book and "loan_period" not in book  # point, interval: no data type


def test_check_constraints_become_constraints(drafted: tuple[Result, Path]) -> None:
    _, out = drafted
    member = _fields(out, "member")
    assert member["credit"]["constraints"] == [
        {"type": "min", "value": 0},
        {"type": "max", "value": 1000},
    ]
    assert member["nickname"]["constraints"] == [{"type": "min_length", "value": 2}]
    assert member["first_name"]["constraints"] == [
        {"type": "expression", "value": "first_name <> last_name OR last_name IS NULL"}
    ]
    book = _fields(out, "book")
    assert book["isbn"]["constraints"] == [{"type": "regex", "value": "^[0-9]{13}$"}]  # domain
    assert book["published"]["constraints"] == [
        {"type": "min", "value": 1450},
        {"type": "max", "value": 2100},
    ]
    assert book["pages"]["constraints"] == [{"type": "min", "value": 1}]  # > 0 on an integer
    assert book["price"]["constraints"] == [
        {"type": "min", "value": 0},
        {"type": "max", "value": 500},
    ]
    assert book["language"]["constraints"] == [{"type": "enum", "value": ["en", "fr", "de"]}]
    assert _fields(out, "loan")["due_on"]["constraints"] == [
        {"type": "expression", "value": "due_on > lent_on"}
    ]


def test_foreign_keys_reference_the_drafted_contracts(drafted: tuple[Result, Path]) -> None:
    _, out = drafted
    copy = _fields(out, "copy")
    assert copy["isbn"]["foreign_key_reference"] == "book.isbn"
    assert copy["isbn"]["is_primary_key"] and copy["copy_no"]["is_primary_key"]
    loan = _document(out, "loan")
    fields = {f["name"]: f for f in loan["schema"]}
    assert fields["member_id"]["foreign_key_reference"] == "member.id"  # on the partitioned table
    assert "is_foreign_key" not in fields["isbn"]  # part of a composite key: left out, said so
    text = (out / "loan.yaml").read_text(encoding="utf-8")
    assert "FOREIGN KEY (isbn, copy_no) REFERENCES copy.(isbn, copy_no)" in text
    assert "a partitioned table" in text.splitlines()[0]
    branch = (out / "branch.yaml").read_text(encoding="utf-8")
    assert "UNIQUE (city, street_address): a contract declares single fields" in branch


def test_personal_data_is_guessed_and_marked_for_review(
    cli: Cli, drafted: tuple[Result, Path]
) -> None:
    _, out = drafted
    member = _document(out, "member")
    pii = sorted(f["name"] for f in member["schema"] if f.get("is_pii"))
    assert pii == ["birth_date", "email", "first_name", "last_name", "phone_number"]
    review = member["metadata"]["review"]
    assert review[0].startswith("publisher: team and owner are placeholders")
    assert any(line.startswith("email: is_pii guessed") for line in review)
    assert not any(f.get("is_pii") for f in _document(out, "book")["schema"])
    result = cli("validate", str(out / "member.yaml"))
    assert result.exit_code == 0
    assert "  review: publisher: team and owner are placeholders" in result.stdout
    assert "  review: birth_date: is_pii guessed from its name" in result.stdout
    strict = cli("validate", "--strict", str(out / "member.yaml"))
    assert strict.exit_code == 1


def test_team_and_owner_leave_no_placeholder(cli: Cli, library_url: str, tmp_path: Path) -> None:
    out = tmp_path / "c"
    result = cli(
        "init", "--from-db", library_url, "--out", str(out), "--table", "book",
        "--team", "library", "--owner", "ann", "--endpoint-url", "http://agent.internal:8003",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    book = _document(out, "book")
    assert book["publisher"] == {"team": "library", "owner": "ann"}
    assert book["access"] == {"endpoint_url": "http://agent.internal:8003"}
    assert "metadata" not in book  # nothing left to review
    assert cli("validate", "--strict", str(out / "book.yaml")).exit_code == 0


async def test_the_agent_finds_every_drafted_contract_kept(
    drafted: tuple[Result, Path], library_url: str, agent_round_trip: Any
) -> None:
    """Clean data: every promise of every drafted contract is counted and kept, and the
    monitor's schema check passes each against the agent's /schema."""
    _, out = drafted
    left_out = {"book": ["loan_period", "shelf"]}  # point and interval: no contract data type
    assert await agent_round_trip(library_url, out, left_out) > 40
