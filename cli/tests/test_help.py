"""Help, version, exit codes documented, usage errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import Result

from datapact_cli import __version__

Cli = Callable[..., Result]


def test_help_lists_commands_and_exit_codes(cli: Cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("validate", "diff", "push", "pull", "export", "import", "token"):
        assert command in result.stdout
    text = " ".join(result.stdout.split())
    assert (
        "Exit codes: 0 ok; 1 invalid document or version policy violation; 2 usage error; " in text
    )
    assert "3 not found; 4 authentication or permission refused; 5 registry unreachable" in text
    assert "DATAPACT_URL" in text and "DATAPACT_TOKEN" in text


@pytest.mark.parametrize("command", ["validate", "diff", "push", "pull", "export", "import"])
def test_each_command_documents_the_exit_codes(cli: Cli, command: str) -> None:
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert "Exit codes:" in result.stdout


def test_version(cli: Cli) -> None:
    assert cli("--version").stdout == f"datapact {__version__}\n"


def test_no_arguments_shows_help(cli: Cli) -> None:
    result = cli()
    assert result.exit_code in (0, 2)
    assert "Usage:" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["--url", "ftp://x", "pull", "a"],
        ["pull"],
        # a bad --url is a usage error, not "registry unreachable" (was exit 5)
        ["--url", "http://", "pull", "a"],
        ["--url", "http://[::1", "pull", "a"],
        ["--url", "http://127.0.0.1:99999", "pull", "a"],
        ["--url", "http://exa mple.com", "pull", "a"],
    ],
)
def test_usage_errors(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_the_installed_entry_point_runs() -> None:
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    executable = shutil.which("datapact") or str(Path(sys.executable).parent / "datapact")
    completed = subprocess.run(
        [executable, "--version"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0
    assert completed.stdout.strip() == f"datapact {__version__}"
