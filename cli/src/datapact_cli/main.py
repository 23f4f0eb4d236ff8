"""The `datapact` command."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

import httpx
import typer

from datapact_cli import __version__, offline, registry, tokens
from datapact_cli.errors import EXIT_CODES_HELP, CliError, ExitCode
from datapact_cli.init.command import init
from datapact_cli.output import reported
from datapact_cli.settings import DEFAULT_URL
from datapact_cli.state import State

app = typer.Typer(
    help="DataPact command line: check, compare and publish data contracts.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"datapact {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    url: Annotated[
        str, typer.Option(envvar="DATAPACT_URL", help="contract registry (contract-service) URL")
    ] = DEFAULT_URL,
    token: Annotated[
        str | None,
        typer.Option(envvar="DATAPACT_TOKEN", help="API token for writes", show_default=False),
    ] = None,
    timeout: Annotated[
        float, typer.Option(envvar="DATAPACT_TIMEOUT", min=0.1, help="HTTP timeout, seconds")
    ] = 30.0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="print the version"),
    ] = False,
) -> None:
    ctx.obj = State(url=_checked_url(url), token=token or None, timeout=timeout)


def _checked_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host (and a valid port); a usage error otherwise."""
    if not url.startswith(("http://", "https://")):
        raise typer.BadParameter(f"{url!r} is not an http(s) URL", param_hint="--url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not 0-65535
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise typer.BadParameter(f"{url!r} is not a valid URL: {exc}", param_hint="--url") from exc
    host = parts.hostname or ""
    if not host or any(char.isspace() for char in host):
        raise typer.BadParameter(f"{url!r} names no valid host", param_hint="--url")
    return url


def _command(function: object, name: str | None = None) -> None:
    app.command(name, epilog=EXIT_CODES_HELP)(reported(function))  # type: ignore[arg-type]


_command(offline.validate)
_command(offline.diff)
_command(registry.push)
_command(registry.pull)
_command(registry.export)
_command(registry.import_, "import")
_command(init)
app.add_typer(tokens.app, name="token")

__all__ = ["CliError", "ExitCode", "app"]
