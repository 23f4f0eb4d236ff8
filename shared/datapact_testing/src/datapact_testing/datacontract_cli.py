"""datacontract-cli, the reference ODCS tool, in a virtual environment of its own.

Never the project's environment: it pins its own versions of pydantic, the ODCS package and
more. The environment is created once under a cache folder (``DATAPACT_PEER_CACHE``, else
``$XDG_CACHE_HOME/datapact`` or ``~/.cache/datapact``) and reused by every later run; a lock
keeps parallel test processes from building it twice. :func:`ensure` raises
:class:`PeerUnavailableError` only when PyPI cannot be reached (tests skip with that reason); any
other failure to install is an error.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

VERSION = "1.2.8"
_READY = ".datapact-ready"
_NETWORK_ERRORS = (
    "NewConnectionError",
    "Max retries exceeded",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "ConnectTimeout",
    "Connection refused",
    "ProxyError",
)

# Lints each file named on the command line with datacontract-cli's own API (what
# `datacontract lint --no-inline-references FILE` runs), in one process: one JSON line.
_LINT = """
import json, sys
from datacontract.data_contract import DataContract
results = {}
for path in sys.argv[1:]:
    run = DataContract(data_contract_file=path, inline_references=False).lint()
    results[path] = {
        "result": run.result.value,
        "checks": [
            {"name": c.name, "result": c.result.value, "reason": c.reason} for c in run.checks
        ],
    }
print(json.dumps(results))
"""


class PeerUnavailableError(Exception):
    """datacontract-cli could not be installed because PyPI is out of reach."""


def cache_dir() -> Path:
    configured = os.environ.get("DATAPACT_PEER_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "datapact"


def venv_dir(extra: str | None = None) -> Path:
    return cache_dir() / f"datacontract-cli-{VERSION}{f'-{extra}' if extra else ''}"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure(extra: str | None = None) -> Path:
    """The environment's ``bin`` folder, created on first use; ``extra`` installs
    ``datacontract-cli[extra]`` into an environment of its own (``postgres``: what
    ``datacontract test`` needs to read a PostgreSQL server)."""
    venv = venv_dir(extra)
    package = f"datacontract-cli[{extra}]=={VERSION}" if extra else f"datacontract-cli=={VERSION}"
    with _locked(venv.with_suffix(".lock")):
        if (venv / _READY).exists():
            return venv / "bin"
        shutil.rmtree(venv, ignore_errors=True)  # a half-built one from an interrupted run
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        install = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", package],
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if install.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            output = (install.stdout + install.stderr).strip()
            tail = "\n".join(output.splitlines()[-5:])
            if any(marker in output for marker in _NETWORK_ERRORS):
                raise PeerUnavailableError(
                    f"cannot install datacontract-cli {VERSION}: PyPI unreachable ({tail})"
                )
            raise RuntimeError(f"pip install {package} failed:\n{output}")
        (venv / _READY).write_text(VERSION)
    return venv / "bin"


def lint(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """``{path: {"result", "checks"}}`` for each file, from one datacontract-cli process."""
    bin_dir = ensure()
    completed = subprocess.run(
        [str(bin_dir / "python"), "-c", _LINT, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"datacontract-cli lint crashed:\n{completed.stderr[-3000:]}")
    results: dict[str, dict[str, Any]] = json.loads(completed.stdout.strip().splitlines()[-1])
    return results


def lint_command(path: Path) -> subprocess.CompletedProcess[str]:
    """``datacontract lint --no-inline-references PATH``, the command a user runs."""
    bin_dir = ensure()
    return subprocess.run(
        [str(bin_dir / "datacontract"), "lint", "--no-inline-references", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def run_test(
    path: Path, server: str, env: dict[str, str], output: Path
) -> subprocess.CompletedProcess[str]:
    """``datacontract test PATH --server SERVER`` (the postgres extra's environment), its
    JSON result written to ``output``."""
    bin_dir = ensure("postgres")
    return subprocess.run(
        [
            str(bin_dir / "datacontract"), "test", str(path), "--server", server,
            "--output-format", "json", "--output", str(output),
        ],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
