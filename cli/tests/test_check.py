"""`datapact check` on real git repositories: the App's verdict from the merge base to HEAD."""

from __future__ import annotations

import copy
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
from click.testing import Result

from datapact_common.yaml_io import dump_yaml

Cli = Callable[..., Result]
SARIF_SCHEMA = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"

INIT = '''"""orders

Revision ID: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("order_id", sa.Uuid(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("orders")
'''

DROP_EMAIL = '''"""orders: the e-mail moves to customers

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.get_bind().execute(sa.text("ALTER TABLE orders DROP COLUMN email"))


def downgrade() -> None:
    op.add_column("orders", sa.Column("email", sa.String(320)))
'''


class Repo:
    """A git repository the test writes commits into."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
            cwd=self.root, capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        return done.stdout

    def write(self, path: str, content: str | dict[str, Any]) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content if isinstance(content, str) else dump_yaml(content))

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def shop(tmp_path: Path, orders_doc: dict[str, Any]) -> Repo:
    """main: the orders table and its contract; branch `feature` checked out, no commit yet."""
    repo = Repo(tmp_path / "shop")
    repo.write("alembic/versions/0001_orders.py", INIT)
    repo.write("contracts/orders.contract.yaml", orders_doc)
    repo.write("README.md", "shop\n")
    repo.commit("orders")
    repo.git("checkout", "-q", "-b", "feature")
    return repo


def run_check(cli: Cli, repo: Repo, *args: str) -> Result:
    return cli("check", "--base", "main", "-C", str(repo.root), *args)


def test_a_dropped_column_still_in_the_contract_fails(cli: Cli, shop: Repo) -> None:
    shop.write("alembic/versions/0002_drop_email.py", DROP_EMAIL)
    shop.commit("drop email")
    result = run_check(cli, shop)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.startswith("DataPact check: failure — Blocked: 1 contract problem\n")
    assert "compared with the contract files at the merge base" in out
    assert (
        "FAILURE alembic/versions/0002_drop_email.py:14: Dropped column orders.email is still "
        "in the contract [orders]" in out
    )


def test_the_contract_changed_with_a_major_bump_passes(
    cli: Cli, shop: Repo, orders_doc: dict[str, Any]
) -> None:
    contract = copy.deepcopy(orders_doc)
    contract["schema"] = [f for f in contract["schema"] if f["name"] != "email"]
    contract["version"] = "2.0.0"
    shop.write("alembic/versions/0002_drop_email.py", DROP_EMAIL)
    shop.write("contracts/orders.contract.yaml", contract)
    shop.commit("drop email, contract 2.0.0")
    result = run_check(cli, shop, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["conclusion"] == "success"
    assert report["files"] == {
        "schema": ["alembic/versions/0002_drop_email.py"],
        "contracts": ["contracts/orders.contract.yaml"],
    }
    [summary] = report["contracts"]
    assert (summary["old_version"], summary["new_version"], summary["bump_ok"]) == (
        "1.0.0", "2.0.0", True,
    )  # fmt: skip
    assert [c["kind"] for c in report["schema_changes"]] == ["column_dropped"]
    assert result.stderr.startswith("DataPact check: success — Passed")


def test_a_too_small_bump_fails_on_the_version_line(
    cli: Cli, shop: Repo, orders_doc: dict[str, Any]
) -> None:
    contract = copy.deepcopy(orders_doc)
    contract["schema"][1]["data_type"] = "integer"
    contract["version"] = "1.0.1"
    shop.write("contracts/orders.contract.yaml", contract)
    shop.commit("retype email")
    result = run_check(cli, shop, "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    bump = next(f for f in findings if f["category"] == "version_bump")
    assert bump["path"] == "contracts/orders.contract.yaml"
    text = (shop.root / "contracts/orders.contract.yaml").read_text().splitlines()
    assert text[bump["start_line"] - 1].startswith("version:")


def test_only_the_branch_s_own_commits_count(cli: Cli, shop: Repo) -> None:
    shop.git("checkout", "-q", "main")
    shop.write("alembic/versions/0002_drop_email.py", DROP_EMAIL)
    shop.commit("main moves on: a change this branch does not make")
    shop.git("checkout", "-q", "feature")
    shop.write("README.md", "shop, documented\n")
    shop.commit("docs")
    result = run_check(cli, shop)
    assert result.exit_code == 0, result.output
    assert "No schema or contract changes" in result.stdout


def test_ddl_built_at_run_time_is_neutral_unless_asked_to_fail(cli: Cli, shop: Repo) -> None:
    dynamic = DROP_EMAIL.replace(
        'op.get_bind().execute(sa.text("ALTER TABLE orders DROP COLUMN email"))',
        'column = "email"\n    op.execute(f"ALTER TABLE orders DROP COLUMN {column}")',
    )
    shop.write("alembic/versions/0002_drop_email.py", dynamic)
    shop.commit("drop email, computed")
    neutral = run_check(cli, shop)
    assert neutral.exit_code == 6, neutral.output
    assert "neutral — Not verified: 1 change could not be read" in neutral.stdout
    assert "SQL built at run time is not checked" in neutral.stdout
    strict = run_check(cli, shop, "--unchecked", "failure")
    assert strict.exit_code == 1


def test_sarif_output_is_valid_sarif_2_1_0(cli: Cli, shop: Repo, tmp_path: Path) -> None:
    shop.write("alembic/versions/0002_drop_email.py", DROP_EMAIL)
    shop.commit("drop email")
    target = tmp_path / "datapact.sarif"
    result = run_check(cli, shop, "--format", "sarif", "--output", str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "DataPact check: failure" in result.stderr and f"wrote {target}" in result.stderr
    sarif = json.loads(target.read_text())
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))
    [run] = sarif["runs"]
    [result_item] = [r for r in run["results"] if r["level"] == "error"]
    location = result_item["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "alembic/versions/0002_drop_email.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"]["startLine"] == 14
    rule = run["tool"]["driver"]["rules"][result_item["ruleIndex"]]
    assert rule["id"] == result_item["ruleId"] == "schema_not_in_contract"


def test_junit_output_counts_failures_and_unread_changes(cli: Cli, shop: Repo) -> None:
    dynamic = DROP_EMAIL.replace(
        "def upgrade() -> None:\n",
        'def upgrade() -> None:\n    op.execute("ALTER TABLE orders ADD COLUMN note " + KIND)\n',
    )
    shop.write("alembic/versions/0002_drop_email.py", dynamic)
    shop.commit("drop email, add a note built at run time")
    result = run_check(cli, shop, "--format", "junit")
    assert result.exit_code == 1
    suites = ElementTree.fromstring(result.stdout)
    assert suites.tag == "testsuites"
    [suite] = suites.findall("testsuite")
    assert (suite.get("failures"), suite.get("errors")) == ("1", "1")
    assert int(suite.get("tests") or 0) == len(suite.findall("testcase"))
    failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert failed[0].get("file") == "alembic/versions/0002_drop_email.py"
    [error] = [c.find("error") for c in suite.findall("testcase") if c.find("error") is not None]
    assert error is not None and error.get("type") == "not_checked"


def test_markdown_is_the_check_run_summary(cli: Cli, shop: Repo) -> None:
    shop.write("alembic/versions/0002_drop_email.py", DROP_EMAIL)
    shop.commit("drop email")
    result = run_check(cli, shop, "--format", "markdown")
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("### DataPact Contract Check: ❌ failed\n")
    assert "**1 failure** · 0 warnings · 0 notices" in out
    assert "| ❌ | `alembic/versions/0002_drop_email.py:14` | orders |" in out


def test_a_schema_change_is_judged_against_an_untouched_contract_of_the_base(
    cli: Cli, shop: Repo
) -> None:
    shop.write(
        "db/migrations/V2__amount.sql", "ALTER TABLE orders ALTER COLUMN amount TYPE text;\n"
    )
    shop.commit("amount as text")
    result = run_check(cli, shop, "--format", "json")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["title"] == "Column orders.amount type change is not in the contract"


def test_git_errors_have_their_own_exit_code(cli: Cli, shop: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    result = cli("check", "--base", "main", "-C", str(outside))
    assert result.exit_code == 7
    assert result.stderr.startswith("error: git could not find the git checkout")
    unknown = run_check(cli, shop, "--base", "origin/nope")
    assert unknown.exit_code == 7
    assert "find the commit 'origin/nope'" in unknown.stderr
    orphan = cli("check", "--base", "-x", "-C", str(shop.root))
    assert orphan.exit_code == 2


def test_usage_errors_exit_2(cli: Cli, shop: Repo) -> None:
    assert run_check(cli, shop, "--format", "xml").exit_code == 2
    assert run_check(cli, shop, "--url", "ftp://registry").exit_code == 2


def test_with_url_the_registry_s_contract_and_subscribers_are_the_reference(
    cli: Cli, tmp_path: Path, registry: Any, orders_doc: dict[str, Any]
) -> None:
    created = registry.create(orders_doc)
    registry.subscribe(created["id"], {"team": "marketing", "fields_used": ["email"]})
    repo = Repo(tmp_path / "service")  # the contract lives only in the registry
    repo.write("alembic/versions/0001_orders.py", INIT)
    repo.commit("orders")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("alembic/versions/0002_drop_email.py", DROP_EMAIL)
    repo.commit("drop email")
    result = run_check(cli, repo, "--url", registry.url, "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["compared_with"] == f"the registry at {registry.url}"
    [dropped] = [f for f in report["findings"] if f["level"] == "failure"]
    assert dropped["title"] == "Dropped column orders.email is still in the contract"
    assert dropped["subscribers"] == ["marketing"]  # subscribed through the API
    offline = run_check(cli, repo, "--format", "json")
    assert offline.exit_code == 0  # no contract file at the base: nothing holds the change
    assert json.loads(offline.stdout)["findings"][0]["category"] == "uncovered_table"


def test_the_global_url_counts_too(cli: Cli, shop: Repo, registry: Any, orders_doc: Any) -> None:
    registry.create(orders_doc)
    shop.write("alembic/versions/0002_drop_email.py", DROP_EMAIL)
    shop.commit("drop email")
    result = cli(
        "check", "--base", "main", "-C", str(shop.root), env={"DATAPACT_URL": registry.url}
    )
    assert result.exit_code == 1
    assert f"compared with the registry at {registry.url}" in result.stdout


def test_an_unreachable_registry_exits_5(cli: Cli, shop: Repo) -> None:
    shop.write("alembic/versions/0002_drop_email.py", DROP_EMAIL)
    shop.commit("drop email")
    result = run_check(cli, shop, "--url", "http://127.0.0.1:9", "--timeout", "2")
    assert result.exit_code in (2,)  # --timeout is a global option, not check's
    result = cli(
        "--timeout", "2", "check", "--base", "main", "-C", str(shop.root),
        "--url", "http://127.0.0.1:9",
    )  # fmt: skip
    assert result.exit_code == 5
    assert "cannot reach the registry at http://127.0.0.1:9" in result.stderr


def test_a_refused_token_exits_4(cli: Cli, shop: Repo, registry: Any) -> None:
    shop.write("alembic/versions/0002_drop_email.py", DROP_EMAIL)
    shop.commit("drop email")
    result = cli(
        "--token", "not-a-token", "check", "--base", "main", "-C", str(shop.root),
        "--url", registry.url,
    )  # fmt: skip
    assert result.exit_code == 4, result.output
    assert "401" in result.stderr or "token" in result.stderr


def test_an_output_that_cannot_be_written_exits_2(cli: Cli, shop: Repo, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    result = run_check(cli, shop, "--output", str(tmp_path / "taken"))
    assert result.exit_code == 2, result.output


def test_docs_ci_md_documents_every_exit_code_check_can_return() -> None:
    """docs/ci.md's table names each code `check` returns, and says why 3 never comes."""
    from datapact_cli.errors import ExitCode

    text = (Path(__file__).parents[2] / "docs" / "ci.md").read_text()
    table = text.split("| code | verdict |", 1)[1].split("\n\n", 1)[0]
    documented = {
        int(code) for row in table.splitlines()[2:] for code in row.split("|")[1].split(",")
    }
    returned = {int(code) for code in ExitCode} - {int(ExitCode.NOT_FOUND)}
    assert documented == returned
    assert "never exits 3" in text
