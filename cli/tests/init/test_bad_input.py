"""`datapact init` on bad input: each problem named, non-zero only when nothing was drafted,
nothing written outside --out, no file replaced unless asked."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

Cli = Callable[..., Result]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_unreachable_database_is_named_without_its_password(cli: Cli, tmp_path: Path) -> None:
    url = f"postgresql://reader:s3cret@127.0.0.1:{_free_port()}/shop"
    result = cli("init", "--from-db", url, "--out", str(tmp_path / "c"))
    assert result.exit_code == 5
    assert "cannot read the database postgresql://reader:***@127.0.0.1" in result.stderr
    assert "s3cret" not in result.output
    assert not (tmp_path / "c").exists()


def test_unsupported_database_and_missing_duckdb_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", "--from-db", "oracle://x@h/db", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "unsupported database 'oracle'" in result.stderr
    missing = tmp_path / "nope.duckdb"
    result = cli("init", "--from-db", f"duckdb://{missing}", "--out", str(tmp_path))
    assert result.exit_code == 5
    assert f"cannot open {missing}: no such file or folder" in result.stderr


def test_a_source_and_a_folder_are_required(cli: Cli, library_url: str) -> None:
    assert cli("init", "--out", "x").exit_code == 2
    assert cli("init", "--from-db", library_url).exit_code == 2


def test_unknown_schema(cli: Cli, library_url: str, tmp_path: Path) -> None:
    result = cli("init", "--from-db", library_url, "--schema", "nope", "--out", str(tmp_path))
    assert result.exit_code == 3
    assert "schema 'nope' has no tables (or does not exist)" in result.stderr


def test_unknown_table_is_named_and_the_rest_drafted(
    cli: Cli, library_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "c"
    result = cli(
        "init", "--from-db", library_url, "--out", str(out), "--table", "nope", "--table", "BOOK"
    )
    assert result.exit_code == 0, result.output
    assert "table 'nope' not found in schema 'public'" in result.stderr
    assert [p.name for p in out.iterdir()] == ["book.yaml"]
    only_unknown = cli("init", "--from-db", library_url, "--out", str(out), "--table", "nope")
    assert only_unknown.exit_code == 3


def test_types_without_a_mapping_are_named(cli: Cli, library_url: str, tmp_path: Path) -> None:
    result = cli("init", "--from-db", library_url, "--out", str(tmp_path), "--table", "book")
    assert result.exit_code == 0
    assert "column 'book.shelf': type point has no contract data type; left out" in result.stderr
    assert "column 'book.loan_period': type interval has no contract data type" in result.stderr


def test_table_names_never_make_a_path(cli: Cli, library_url: str, tmp_path: Path) -> None:
    out = tmp_path / "a" / "b"
    before = sorted(p for p in tmp_path.rglob("*"))
    result = cli(
        "init", "--from-db", library_url, "--out", str(out),
        "--table", "../../escape", "--table", "Odd Table",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "table '../../escape': a contract's `table` cannot name it" in result.stderr
    assert "table 'Odd Table': a contract's `table` cannot name it" in result.stderr
    assert sorted(p for p in tmp_path.rglob("*")) == before  # nothing written anywhere


def test_an_existing_file_is_kept_unless_forced(
    cli: Cli, library_url: str, tmp_path: Path, document: Any
) -> None:
    args = ("init", "--from-db", library_url, "--out", str(tmp_path), "--table", "copy")
    assert cli(*args).exit_code == 0
    path = tmp_path / "copy.yaml"
    path.write_text("# mine\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    again = cli(*args)
    assert again.exit_code == 1  # nothing written
    assert f"{path} exists; not overwritten" in again.stderr
    assert path.read_text(encoding="utf-8").startswith("# mine\n")
    forced = cli(*args, "--force")
    assert forced.exit_code == 0
    assert not path.read_text(encoding="utf-8").startswith("# mine\n")
    assert document(path)["name"] == "copy"


def test_a_symbolic_link_in_the_folder_is_never_followed(
    cli: Cli, library_url: str, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    out = tmp_path / "c"
    out.mkdir()
    (out / "copy.yaml").symlink_to(outside)
    args = ("init", "--from-db", library_url, "--out", str(out), "--table", "copy")
    assert cli(*args).exit_code == 1
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert cli(*args, "--force").exit_code == 0
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not (out / "copy.yaml").is_symlink()
