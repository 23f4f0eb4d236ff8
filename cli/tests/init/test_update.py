"""`datapact init --update DIR` against a database that changed: what people wrote is kept,
new columns are added, what disappeared is reported and kept; files change only when asked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import Result

from datapact_common.yaml_io import dump_yaml
from datapact_testing import postgres as pg

Cli = Callable[..., Result]
_SCHEMA = """
CREATE TABLE person (id integer PRIMARY KEY, email text NOT NULL, nickname text,
                     born date);
COMMENT ON COLUMN person.born IS 'Day of birth';
CREATE TABLE visit (id integer PRIMARY KEY, person_id integer REFERENCES person (id));
"""
_CHANGES = """
ALTER TABLE person ADD COLUMN tier text CHECK (tier IN ('gold', 'silver'));
ALTER TABLE person DROP COLUMN nickname;
ALTER TABLE person ALTER COLUMN born SET NOT NULL;
DROP TABLE visit;
"""


@pytest.fixture
def database() -> Iterator[str]:
    name = pg.test_database_name("test_cli_init_update")
    pg.create_database(name)
    with psycopg.connect(pg.sync_dsn(name), autocommit=True) as connection:
        connection.execute(_SCHEMA.encode())
    yield pg.sync_dsn(name)
    pg.drop_database(name)


def _change(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(_CHANGES.encode())


def _edit(path: Path, document: dict[str, Any]) -> None:
    """What a person adds to a drafted contract."""
    fields = {f["name"]: f for f in document["schema"]}
    fields["email"]["description"] = "Where receipts go"
    fields["email"]["constraints"] = [{"type": "regex", "value": "^[^@]+@[^@]+$"}]
    fields["email"]["is_pii"] = True
    fields["born"]["description"] = "Birthday, as the customer told us"
    document["publisher"] = {"team": "crm", "owner": "ann"}
    document["metadata"] = {}
    document["quality"] = [{"metric_type": "completeness", "threshold": "99%"}]
    document["subscribers"] = [{"team": "marketing", "fields_used": ["email"]}]
    path.write_text(dump_yaml(document), encoding="utf-8")


def test_update_keeps_edits_adds_columns_and_reports_what_is_gone(
    cli: Cli, database: str, tmp_path: Path, document: Any
) -> None:
    out = tmp_path / "contracts"
    assert cli("init", "--from-db", database, "--out", str(out)).exit_code == 0
    person = out / "person.yaml"
    _edit(person, document(person))
    _change(database)
    result = cli("init", "--from-db", database, "--update", str(out))
    assert result.exit_code == 0, result.output
    assert f"updated {person}: person (1 new, 1 changed, 1 no longer in the database)" in (
        result.stdout
    )
    assert "person: column 'nickname' is no longer in the database; kept" in result.stderr
    assert "person: born: nullable true -> false" in result.stderr
    assert "visit.yaml: table 'visit' is no longer in the database; the contract is kept" in (
        result.stderr
    )
    assert (out / "visit.yaml").exists()
    updated = document(person)
    fields = {f["name"]: f for f in updated["schema"]}
    assert list(fields) == ["id", "email", "nickname", "born", "tier"]
    assert fields["email"]["description"] == "Where receipts go"
    assert fields["email"]["constraints"] == [{"type": "regex", "value": "^[^@]+@[^@]+$"}]
    assert fields["born"] == {
        "name": "born", "data_type": "date", "physical_type": "date",
        "description": "Birthday, as the customer told us", "nullable": False,
    }  # fmt: skip
    assert fields["tier"]["constraints"] == [{"type": "enum", "value": ["gold", "silver"]}]
    assert updated["publisher"] == {"team": "crm", "owner": "ann"}
    assert updated["quality"] == [{"metric_type": "completeness", "threshold": "99%"}]
    assert updated["subscribers"] == [{"team": "marketing", "fields_used": ["email"]}]
    assert updated["metadata"]["review"][0].startswith("nickname: no longer in the database")
    assert cli("validate", str(person)).exit_code == 0
    before = person.read_text(encoding="utf-8")
    again = cli("init", "--from-db", database, "--update", str(out))
    assert again.exit_code == 0
    assert f"unchanged {person}: person" in again.stdout
    assert "column 'nickname' is no longer in the database" in again.stderr  # said every time
    assert person.read_text(encoding="utf-8") == before


def test_update_never_touches_a_file_it_cannot_merge(
    cli: Cli, database: str, tmp_path: Path
) -> None:
    out = tmp_path / "c"
    out.mkdir()
    (out / "person.yaml").write_text("name: a\n---\nname: b\n", encoding="utf-8")
    result = cli("init", "--from-db", database, "--update", str(out))
    assert result.exit_code == 0  # visit.yaml is new
    assert "person.yaml does not hold exactly one contract document; not updated" in (result.stderr)
    assert (out / "person.yaml").read_text(encoding="utf-8") == "name: a\n---\nname: b\n"
    assert (out / "visit.yaml").exists()
    both = cli("init", "--from-db", database, "--update", str(out), "--force")
    assert both.exit_code == 2
    only = cli("init", "--from-db", database, "--update", str(out), "--table", "person")
    assert only.exit_code == 1  # nothing could be merged


def test_update_keeps_the_person_s_comments_and_text(
    cli: Cli, database: str, tmp_path: Path, document: Any
) -> None:
    """Comments, the header and the person's own lines survive; only the merge's edits are
    made in the text (a new column at the end, born's nullability, the review lines)."""
    out = tmp_path / "contracts"
    assert cli("init", "--from-db", database, "--out", str(out)).exit_code == 0
    person = out / "person.yaml"
    text = person.read_text(encoding="utf-8")
    email = re.search(r"^( *)- name: email\n", text, re.MULTILINE)
    assert email is not None
    indent = email.group(1) + "  "
    text = text.replace(
        email.group(0),
        f"{email.group(1)}- name: email  # receipts go here\n"
        f"{indent}# agreed with legal on 2026-03-01\n"
        f"{indent}description: Where receipts go\n",
        1,
    )
    text = text.replace("\nschema:\n", "\n# the columns, as the DBA named them\nschema:\n", 1)
    text += "# owned by the CRM team; ask ann before changing\n"
    person.write_text(text, encoding="utf-8")
    _change(database)
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute(b"ALTER TABLE person ADD CONSTRAINT person_pair UNIQUE (email, born)")
    result = cli("init", "--from-db", database, "--update", str(out))
    assert result.exit_code == 0, result.output
    assert "written whole" not in result.stderr
    updated = person.read_text(encoding="utf-8")
    for kept in (
        "# Drafted by `datapact init`",
        "# the columns, as the DBA named them\n",
        "- name: email  # receipts go here\n",
        "# agreed with legal on 2026-03-01\n",
        "description: Where receipts go\n",
        "# owned by the CRM team; ask ann before changing\n",
        # what the database now declares and the contract cannot say, noted at the top
        "# Left out (the contract does not say it):\n"
        "#   - UNIQUE (email, born): a contract declares single fields\n",
    ):
        assert kept in updated, kept
    # every line the person had is still there, in order, except born's old nullability
    before = [line for line in text.splitlines() if line.strip()]
    after = iter(updated.splitlines())
    missing = [line for line in before if not any(line == other for other in after)]
    assert len(missing) <= 1 and all("nullable" in line for line in missing), missing
    fields = {f["name"]: f for f in document(person)["schema"]}
    assert list(fields) == ["id", "email", "nickname", "born", "tier"]
    assert fields["born"]["nullable"] is False
    assert fields["email"]["description"] == "Where receipts go"
    assert fields["tier"]["constraints"] == [{"type": "enum", "value": ["gold", "silver"]}]
    assert cli("validate", str(person)).exit_code == 0
