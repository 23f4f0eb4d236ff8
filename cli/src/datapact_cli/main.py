"""The `datapact` command."""

from __future__ import annotations

from typing import Annotated

import typer

from datapact_cli import __version__, offline, proposals, registry, tokens
from datapact_cli.check.command import check
from datapact_cli.errors import EXIT_CODES_HELP, CliError, ExitCode
from datapact_cli.init.command import init
from datapact_cli.output import reported
from datapact_cli.settings import DEFAULT_URL
from datapact_cli.state import State
from datapact_cli.urls import checked_url

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
    ctx.obj = State(url=checked_url(url), token=token or None, timeout=timeout)


def _command(function: object, name: str | None = None) -> None:
    app.command(name, epilog=EXIT_CODES_HELP)(reported(function))  # type: ignore[arg-type]


_command(offline.validate)
_command(offline.diff)
_command(check)
_command(registry.push)
_command(registry.pull)
_command(registry.export)
_command(registry.import_, "import")
_command(init)
_command(proposals.propose)
app.add_typer(tokens.app, name="token")
app.add_typer(proposals.app, name="proposal")

__all__ = ["CliError", "ExitCode", "app"]
