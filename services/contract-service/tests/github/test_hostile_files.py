"""Files written to hurt the analysis are reported as not checked; the check still finishes."""

from __future__ import annotations

from datapact_common.analysis.alembic_ops import alembic_changes, is_alembic_migration
from datapact_common.analysis.contract_files import parse_contract_file
from datapact_common.analysis.models_ast import model_tables
from datapact_common.analysis.pr_delta import ChangedFile, schema_delta
from datapact_common.analysis.sql_ddl import sql_changes

BOMB = (
    "".join(
        f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['x'] * 9)}]\n"
        for prev, name in zip(["", "a", "b", "c", "d", "e"], "abcdef", strict=True)
    )
    + "g: ["
    + ", ".join(["*f"] * 9)
    + "]\n"
)


def test_a_yaml_alias_bomb_is_an_invalid_contract_not_a_hang() -> None:
    parsed = parse_contract_file(BOMB, "contract.yaml")
    assert parsed.contracts == []
    assert "document too large: more than 100000 values" in parsed.invalid[0].message


def test_a_repeated_key_is_an_invalid_contract_on_its_line() -> None:
    text = "name: orders\nversion: 1.0.0\nversion: 2.0.0\n"
    parsed = parse_contract_file(text, "contract.yaml")
    assert parsed.contracts == []
    [invalid] = parsed.invalid
    assert invalid.line == 3 and "duplicate key 'version'" in invalid.message


def test_unreadable_python_and_sql_become_problems() -> None:
    changes, problems = alembic_changes("from alembic import op\x00\n", "m.py")
    assert changes == [] and problems[0].line == 1
    assert not is_alembic_migration("\x00")
    tables, problems = model_tables("class A(:\n  __tablename__ = 'a'\n", "models.py")
    assert tables == {} and problems[0].message.startswith("Python syntax error")
    nested = "ALTER TABLE t ADD COLUMN x int DEFAULT " + "(" * 5000 + "1" + ")" * 5000 + ";"
    changes, problems = sql_changes(nested, "s.sql")
    assert changes == [] and problems[0].message.startswith("table t: SQL statement not underst")


def test_binary_noise_in_a_schema_file_does_not_stop_the_others() -> None:
    files = [
        ChangedFile("migrations/V9__noise.sql", "added", None, "\x01\x02 ALTER TABLE ;;; ((("),
        ChangedFile("migrations/V10__ok.sql", "added", None, "ALTER TABLE t DROP COLUMN c;"),
    ]
    delta = schema_delta(files)
    assert [(c.table, c.column) for c in delta.changes] == [("t", "c")]
