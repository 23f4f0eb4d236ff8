"""The GitHub workflows stay a thin layer over the `make` targets `.ci/run` runs, and
`scripts/images.sh` builds and pushes the image list the compose file builds, tagged as the
release workflow asks (its --dry-run prints the docker commands; no Docker engine here)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
# the only shell a workflow step may hold besides `make`: installing what a runner lacks
SETUP_COMMANDS = ("sudo apt-get ", "python -m pip install --quiet poetry")


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def _make_targets_of_ci_run() -> list[str]:
    """`make X` lines of .ci/run, in order (the `if …; then make X; fi` ones included)."""
    targets: list[str] = []
    for line in (ROOT / ".ci" / "run").read_text().splitlines():
        for found in re.findall(r"(?:^|then |; )make ([a-z0-9-]+)", line.strip()):
            targets.append(found)
    return targets


def _makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z0-9-]+):", text, flags=re.MULTILINE))


def _commands(run: str) -> list[str]:
    """A `run:` block's commands, continuation lines joined."""
    return [c.strip() for c in run.replace("\\\n", " ").splitlines() if c.strip()]


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps = job.get("steps", [])
    assert isinstance(steps, list)
    return steps


def _make_calls(job: dict[str, Any]) -> list[list[str]]:
    """Each `make …` command of the job's steps, as its targets (variables left out)."""
    calls = []
    for step in _steps(job):
        for command in _commands(step.get("run", "")):
            words = shlex.split(command)
            if words and words[0] == "make":
                calls.append([w for w in words[1:] if "=" not in w and not w.startswith("-")])
    return calls


def test_the_ci_job_runs_the_make_targets_of_ci_run_in_the_same_order() -> None:
    ci_run = _make_targets_of_ci_run()
    assert ci_run == ["lint", "test", "compose-check", "hadolint", "e2e"]  # the parser works
    job = _load(WORKFLOWS / "ci.yml")["jobs"]["ci"]
    calls = [target for call in _make_calls(job) for target in call]
    # .ci/run installs through scripts/install.sh, which `make install` runs (with --force)
    assert calls == ["install", *ci_run]
    assert "scripts/install.sh" in (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^install:.*\n\t@scripts/install\.sh", (ROOT / "Makefile").read_text(), re.M)


def test_workflow_steps_hold_no_logic_of_their_own() -> None:
    """Every `run:` line of every workflow is a `make` target of the Makefile, or installs
    a tool; anything else (a pytest, a ruff, a script) would be CI drifting from .ci/run."""
    targets = _makefile_targets()
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for name, job in _load(path)["jobs"].items():
            for step in _steps(job):
                for command in _commands(step.get("run", "")):
                    if command.startswith(SETUP_COMMANDS):
                        continue
                    words = shlex.split(command)
                    assert words[0] == "make", f"{path.name} job {name}: {command!r}"
                    for target in words[1:]:
                        if "=" not in target:
                            assert target in targets, f"{path.name}: no make target {target}"


def test_the_ci_job_has_the_servers_and_tools_ci_run_expects() -> None:
    workflow = _load(WORKFLOWS / "ci.yml")
    job = workflow["jobs"]["ci"]
    assert set(job["services"]) == {"postgres", "redis", "mariadb"}  # scripts/ensure-infra.sh
    ports = {p.split(":")[0] for s in job["services"].values() for p in s["ports"]}
    assert ports == {"5432", "6379", "3306"}
    for key, port in (("DATAPACT_TEST_ADMIN_DSN", "5432"), ("DATAPACT_TEST_REDIS", "6379")):
        assert f"127.0.0.1:{port}" in workflow["env"][key]
    installed = " ".join(
        command
        for step in _steps(job)
        for command in _commands(step.get("run", ""))
        if command.startswith("sudo apt-get install")
    ).split()
    ci_run = (ROOT / ".ci" / "run").read_text()
    for tool in re.findall(r"missing\+=\(([^)]*)\)", ci_run):
        for package in tool.split():
            if package.startswith(("chromium", "mariadb-server")):
                continue  # the runner image ships Chrome; MariaDB is a service container
            assert package in installed, f"ci.yml does not install {package} as .ci/run does"


def test_the_release_workflow_runs_ci_first_and_releases_through_make() -> None:
    release = _load(WORKFLOWS / "release.yml")
    assert release["jobs"]["ci"]["uses"] == "./.github/workflows/ci.yml"
    assert "workflow_call" in _load(WORKFLOWS / "ci.yml")[True]  # `on:` reads as True
    for name, job in release["jobs"].items():
        if name != "ci":
            assert job["needs"] == "ci"
    calls = {
        target for job in release["jobs"].values() for call in _make_calls(job) for target in call
    }
    assert calls == {"dist", "images", "push-images"}


def _images(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "scripts" / "images.sh"), *args],
        env={**os.environ, "DRY_RUN": "", "VERSION": "", "IMAGE_PREFIX": "", **env},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


# images with a recipe of their own (no SERVICE/APP_MODULE build arguments)
OWN_RECIPES = {"docker/agent.Dockerfile": "data-agent"}


def _compose_images() -> dict[str, str]:
    """SERVICE -> APP_MODULE of every image docker-compose.yml builds ("" for an image with
    a recipe of its own)."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            args = node.get("args")
            if isinstance(args, dict) and "SERVICE" in args:
                found[args["SERVICE"]] = args["APP_MODULE"]
            elif node.get("dockerfile") in OWN_RECIPES:
                found[OWN_RECIPES[node["dockerfile"]]] = ""
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(_load(ROOT / "docker-compose.yml"))
    return found


def _parse_build(line: str) -> tuple[str, str, list[str]]:
    words = shlex.split(line)
    assert words[:3] == ["docker", "build", "-f"], line
    assert words[-1] == "."
    tags = [words[i + 1] for i, w in enumerate(words) if w == "-t"]
    if words[3] in OWN_RECIPES:
        assert "--build-arg" not in words, line
        return OWN_RECIPES[words[3]], "", tags
    assert words[3] == "docker/service.Dockerfile", line
    args = dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w == "--build-arg")
    return args["SERVICE"], args["APP_MODULE"], tags


def test_images_dry_run_builds_the_compose_images_with_dev_tags() -> None:
    done = _images("build", "--dry-run")
    assert done.returncode == 0, done.stderr
    builds = [_parse_build(line) for line in done.stdout.splitlines()]
    assert {service: module for service, module, _ in builds} == _compose_images()
    assert len(builds) == 6
    for service, module, tags in builds:
        assert tags == [f"datapact/{service}:dev"]  # no `latest` for a non-release version
        if not module:  # its own recipe
            continue
        package = module.split(":")[0].replace(".", "/")
        assert (ROOT / "services" / service / "src" / f"{package}.py").is_file(), module


@pytest.mark.parametrize(
    ("version", "tags"),
    [
        ("1.4.2", ["1.4.2", "latest"]),
        ("2", ["2", "latest"]),
        ("1.5.0-rc1", ["1.5.0-rc1"]),  # a pre-release does not move `latest`
        ("", ["dev"]),
    ],
)
def test_release_tags_and_pushes_follow_version_and_prefix(version: str, tags: list[str]) -> None:
    """As release.yml calls it: `make images push-images VERSION=… IMAGE_PREFIX=…`."""
    prefix = "ghcr.io/acme/datapact-"
    done = subprocess.run(
        ["make", "-s", "images", "push-images", f"VERSION={version}", f"IMAGE_PREFIX={prefix}",
         "DRY_RUN=1"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        env={k: v for k, v in os.environ.items() if k not in ("VERSION", "IMAGE_PREFIX")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    builds = [_parse_build(line) for line in lines if line.startswith("docker build")]
    pushes = [shlex.split(line)[2] for line in lines if line.startswith("docker push")]
    assert len(builds) == 6
    expected = [f"{prefix}{service}:{tag}" for service, _, _ in builds for tag in tags]
    assert [tag for _, _, built in builds for tag in built] == expected
    assert pushes == expected  # pushes exactly what was tagged, in the same order
    assert len(lines) == len(builds) + len(pushes)


def test_images_without_a_command_is_a_usage_error_and_runs_nothing() -> None:
    done = _images()
    assert done.returncode == 2
    assert "usage:" in done.stderr
    assert done.stdout == ""
