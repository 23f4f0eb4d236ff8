"""The CI recipes run as their CI would run them: `action.yml`'s steps (the composite
GitHub Action) and the GitLab CI job of docs/ci.md, on git repositories the tests create."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml

from datapact_common.yaml_io import dump_yaml

REPO = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"
VENV_BIN = Path(sys.executable).parent

MIGRATION = '''"""orders: drop the e-mail

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.drop_column("orders", "email")


def downgrade() -> None:
    pass
'''


def vendored_schema(name: str) -> dict[str, Any]:
    files = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: dict[str, Any] = json.loads((files / name).read_text(encoding="utf-8"))
    return schema


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=cwd, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return done.stdout


@pytest.fixture
def origin(tmp_path: Path, orders_doc: dict[str, Any]) -> Path:
    """A bare `origin` with `main` (orders + contract) and `feature` (drops a contracted
    column in an Alembic migration)."""
    seed = tmp_path / "seed"
    seed.mkdir()
    git(seed, "init", "-q", "-b", "main")
    (seed / "contracts").mkdir()
    (seed / "contracts" / "orders.contract.yaml").write_text(dump_yaml(orders_doc))
    (seed / "db").mkdir()
    (seed / "db" / "schema.sql").write_text(
        "CREATE TABLE orders (order_id uuid PRIMARY KEY, email text, amount numeric NOT NULL);\n"
    )
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "orders")
    git(seed, "checkout", "-q", "-b", "feature")
    (seed / "alembic" / "versions").mkdir(parents=True)
    (seed / "alembic" / "versions" / "0002_drop_email.py").write_text(MIGRATION)
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "drop email")
    bare = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(bare))
    return bare


# -- the GitHub Action -----------------------------------------------------------------------


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text())
    return loaded


def test_action_yml_is_a_valid_composite_action() -> None:
    document = action()
    jsonschema.validate(document, vendored_schema("github-actions.json"))
    assert document["runs"]["using"] == "composite"
    assert all("shell" in step for step in document["runs"]["steps"] if "run" in step)


class Runner:
    """What a GitHub runner does for a composite action's `run:` steps: evaluate the
    `${{ }}` expressions the action uses, run each script with bash in the workspace, and
    carry GITHUB_OUTPUT, GITHUB_PATH and GITHUB_STEP_SUMMARY between steps."""

    def __init__(self, workspace: Path, temp: Path, inputs: dict[str, str], github: dict[str, Any]):
        self.workspace = workspace
        self.temp = temp
        self.inputs = {
            name: str(spec.get("default", "")) for name, spec in action()["inputs"].items()
        }
        self.inputs.update(inputs)
        self.github = {"action_path": str(REPO), **github}
        self.outputs: dict[str, dict[str, str]] = {}
        self.path: list[str] = []
        self.summary = temp / "step_summary.md"

    def value(self, expression: str) -> str:
        for term in (t.strip() for t in expression.split("||")):
            parts = term.split(".")
            found: Any
            if parts[0] == "inputs":
                found = self.inputs.get(parts[1], "")
            elif parts[0] == "steps":
                found = self.outputs.get(parts[1], {}).get(parts[3], "")
            elif parts[0] == "github":
                found = self.github
                for part in parts[1:]:
                    found = found.get(part, "") if isinstance(found, dict) else ""
            else:
                raise AssertionError(f"expression not handled by the test runner: {term}")
            if found:
                return str(found)
        return ""

    def expand(self, text: str) -> str:
        return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: self.value(m.group(1)), text)

    def run(self, step: dict[str, Any]) -> int:
        output = self.temp / f"output-{step.get('id', 'step')}.txt"
        output.write_text("")
        path_file = self.temp / "path.txt"
        path_file.write_text("")
        env = {
            **os.environ,
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_PATH": str(path_file),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_ACTION_PATH": str(REPO),
            "PATH": os.pathsep.join([*self.path, os.environ["PATH"]]),
        }
        env.pop("DATAPACT_URL", None)
        env.update({k: self.expand(str(v)) for k, v in (step.get("env") or {}).items()})
        cwd = self.workspace / self.expand(step.get("working-directory", "."))
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", self.expand(step["run"])],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        self.log = done.stdout + done.stderr
        self.path = [line for line in path_file.read_text().splitlines() if line] + self.path
        if "id" in step:
            self.outputs[step["id"]] = dict(
                line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
            )
        return done.returncode

    def steps(self, *names: str) -> list[dict[str, Any]]:
        steps = [s for s in action()["runs"]["steps"] if "run" in s]
        return [s for s in steps if s.get("name") in names] if names else steps


# It pip-installs the CLI into a fresh venv, as the runner does: minutes on a busy machine.
@pytest.mark.e2e
@pytest.mark.timeout(900)
def test_the_action_installs_the_cli_and_fails_the_pull_request(
    origin: Path, tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"  # as actions/checkout leaves it: depth 1, one branch
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", origin.as_uri(),
        str(workspace))  # fmt: skip
    assert git(workspace, "rev-parse", "--is-shallow-repository").strip() == "true"
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    runner = Runner(workspace, temp, {}, {"base_ref": "main", "event": {"repository": {}}})
    install, fetch, check, verdict = runner.steps()
    assert runner.run(install) == 0, runner.log
    assert (temp / "datapact-cli" / "bin" / "datapact").exists()
    assert runner.run(fetch) == 0, runner.log
    assert runner.outputs["base"] == {"ref": "origin/main"}
    assert runner.run(check) == 0, runner.log  # the verdict comes last, after the upload
    outputs = runner.outputs["check"]
    assert (outputs["conclusion"], outputs["exit-code"]) == ("failure", "1")
    assert "Dropped column orders.email is still in the contract" in runner.log
    sarif = json.loads(Path(outputs["sarif-file"]).read_text())
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))
    assert sarif["runs"][0]["results"][0]["level"] == "error"
    assert runner.summary.read_text().startswith("### DataPact Contract Check: ❌ failed")
    assert runner.run(verdict) == 1


def test_the_action_can_let_a_neutral_verdict_pass(origin: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    git(tmp_path, "clone", "-q", "--branch", "feature", origin.as_uri(), str(workspace))
    migration = workspace / "alembic" / "versions" / "0002_drop_email.py"
    migration.write_text(
        MIGRATION.replace('op.drop_column("orders", "email")',
                          'op.execute(f"ALTER TABLE orders DROP COLUMN {COLUMN}")')
    )  # fmt: skip
    git(workspace, "commit", "-q", "-am", "computed DDL")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    runner = Runner(workspace, temp, {"allow-neutral": "true"}, {"base_ref": "main"})
    runner.path = [str(VENV_BIN)]  # the CLI of this checkout (the install is tested above)
    fetch, check, verdict = runner.steps("Fetch the base branch", "datapact check", "Verdict")
    assert runner.run(fetch) == 0, runner.log
    assert runner.run(check) == 0, runner.log
    assert runner.outputs["check"]["conclusion"] == "neutral"
    assert runner.run(verdict) == 0
    assert "::warning title=DataPact Contract Check::neutral" in runner.log
    runner.inputs["allow-neutral"] = "false"
    assert runner.run(verdict) == 6


# -- GitLab CI -------------------------------------------------------------------------------


def gitlab_job() -> dict[str, Any]:
    text = (REPO / "docs" / "ci.md").read_text()
    section = text.split("## GitLab CI", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block is not None
    loaded: dict[str, Any] = yaml.safe_load(block.group(1))
    return loaded


def test_the_gitlab_job_is_valid_gitlab_ci() -> None:
    pipeline = gitlab_job()
    jsonschema.validate(pipeline, vendored_schema("gitlab-ci.json"))
    job = pipeline["datapact-check"]
    assert job["allow_failure"] == {"exit_codes": [6]}
    assert job["artifacts"]["reports"]["junit"] == "datapact-junit.xml"


def run_gitlab_script(
    origin: Path, tmp_path: Path
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The job's `script:` lines in a merge-request pipeline's clone (detached at the head,
    the target branch not fetched), as GitLab's shell executor runs them."""
    build = tmp_path / "build"
    head = git(origin, "rev-parse", "feature").strip()
    git(tmp_path, "clone", "-q", "--no-checkout", "--single-branch", "--branch", "feature",
        origin.as_uri(), str(build))  # fmt: skip
    git(build, "checkout", "-q", "--detach", head)
    job = gitlab_job()["datapact-check"]
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(VENV_BIN), os.environ["PATH"]]),
        "CI": "true",
        "GITLAB_CI": "true",
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature",
        **{k: str(v) for k, v in job.get("variables", {}).items()},
    }
    env.pop("DATAPACT_URL", None)
    script = "\n".join(job["script"])
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=build, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    return done, build


def test_the_gitlab_job_fails_the_merge_request_with_a_junit_report(
    origin: Path, tmp_path: Path
) -> None:
    done, build = run_gitlab_script(origin, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAILURE alembic/versions/0002_drop_email.py:13: Dropped column" in done.stdout
    report = ElementTree.parse(build / "datapact-junit.xml").getroot()
    suite = report.find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    assert (build / "datapact.md").read_text().startswith("### DataPact Contract Check")


def test_a_gitlab_job_whose_merge_request_passes(origin: Path, tmp_path: Path) -> None:
    work = tmp_path / "fix"
    git(tmp_path, "clone", "-q", "--branch", "feature", origin.as_uri(), str(work))
    contract = yaml.safe_load((work / "contracts" / "orders.contract.yaml").read_text())
    contract["schema"] = [f for f in contract["schema"] if f["name"] != "email"]
    contract["version"] = "2.0.0"
    (work / "contracts" / "orders.contract.yaml").write_text(dump_yaml(contract))
    git(work, "commit", "-q", "-am", "orders 2.0.0 without email")
    git(work, "push", "-q", "origin", "feature")
    done, _ = run_gitlab_script(origin, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("DataPact check: success")


@pytest.fixture(autouse=True)
def _git_available() -> None:
    assert shutil.which("git"), "these tests need git"
