"""Printing: results on stdout, messages and errors on stderr, never a traceback."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer

from datapact_cli.errors import CliError, ExitCode
from datapact_common.exceptions import ContractValidationError, DataPactError, OdcsError

P = ParamSpec("P")
R = TypeVar("R")

_SEVERITY_COLOURS = {"breaking": typer.colors.RED, "warning": typer.colors.YELLOW}


def info(message: str) -> None:
    typer.echo(message, err=True)


def fail(error: CliError) -> None:
    typer.secho(f"error: {error.message}", err=True, fg=typer.colors.RED)
    for line in error.details:
        typer.echo(f"  {line}", err=True)


def reported(command: Callable[P, R]) -> Callable[P, R]:
    """Turn failures into a message on stderr and the documented exit code."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except typer.Exit:
            raise
        except CliError as exc:
            fail(exc)
            raise typer.Exit(int(exc.code)) from None
        except DataPactError as exc:
            fail(from_domain_error(exc))
            raise typer.Exit(int(ExitCode.INVALID)) from None
        except Exception as exc:
            if os.environ.get("DATAPACT_DEBUG"):
                raise
            fail(CliError(f"unexpected failure: {type(exc).__name__}: {exc}", ExitCode.SERVER))
            raise typer.Exit(int(ExitCode.SERVER)) from None

    return run


def from_domain_error(exc: DataPactError) -> CliError:
    """A contract or ODCS error as a headline plus one line per problem."""
    details: list[str] = []
    if isinstance(exc, ContractValidationError):
        details = [_located(e) for e in exc.errors]
    elif isinstance(exc, OdcsError):
        details = list(exc.errors)
    return CliError(_headline(exc.detail) if details else exc.detail, ExitCode.INVALID, details)


def _headline(detail: str) -> str:
    """``"document 2 of 3: invalid contract: a: b; c: d"`` -> ``"document 2 of 3: invalid
    contract"`` (the problems are listed line by line instead)."""
    parts = detail.split(": ")
    keep = 2 if parts[0].startswith("document ") else 1
    return ": ".join(parts[:keep])


def _located(error: dict[str, Any]) -> str:
    where = error.get("loc", "(document)")
    return f"{where}: {error.get('message', '')}"


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CliError(f"no such file: {path}", ExitCode.NOT_FOUND) from exc
    except IsADirectoryError as exc:
        raise CliError(f"{path} is a directory, not a file", ExitCode.USAGE) from exc
    except UnicodeDecodeError as exc:
        raise CliError(f"{path} is not UTF-8 text", ExitCode.INVALID) from exc
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}", ExitCode.NOT_FOUND) from exc


def write_output(text: str, path: Path | None) -> None:
    """Write a document to ``path`` or, without one, to stdout."""
    if path is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror}", ExitCode.USAGE) from exc
    info(f"wrote {path}")


def change_lines(changes: list[dict[str, Any]]) -> list[str]:
    lines = []
    for change in changes:
        severity = str(change.get("severity", "info"))
        label = typer.style(f"{severity:<8}", fg=_SEVERITY_COLOURS.get(severity))
        line = f"  {label} {change.get('path', '')}: {change.get('message', '')}"
        affected = change.get("affected_subscribers") or []
        if affected:
            line += f"  [affects: {', '.join(affected)}]"
        if change.get("versioned") is False:
            line += "  (needs no new version)"
        lines.append(line)
    return lines


def bump_line(required: str | None, actual: str | None, old: str, new: str) -> str:
    return (
        f"  version {old} -> {new}: required bump {required or 'none'}, "
        f"actual {actual or 'lower than before'}"
    )


def explain_conflict(body: dict[str, Any]) -> None:
    """The changes and the bump a 409 from the registry names, on stderr."""
    changes = body.get("changes")
    if isinstance(changes, list) and changes:
        info("changes:")
        for line in change_lines([c for c in changes if isinstance(c, dict)]):
            info(line)
    if "required_bump" in body:
        info(
            bump_line(
                body.get("required_bump"),
                body.get("actual_bump"),
                str(body.get("current_version", "?")),
                str(body.get("proposed_version", "?")),
            )
        )
