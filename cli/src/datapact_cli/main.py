"""Entry point of the `datapact` command (filled in by the CLI work)."""

import typer

app = typer.Typer(help="DataPact command line")
