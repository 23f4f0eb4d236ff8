"""`datapact token create`: mint an API token signed with the platform's secret."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Annotated

import typer

from datapact_cli.errors import CliError, ExitCode
from datapact_cli.output import info, reported
from datapact_cli.settings import signing_secret
from datapact_common.tokens import MAX_TTL, Scope, create_token, normalize_email

app = typer.Typer(help="API tokens (HS256 JWTs signed with DATAPACT_SECRET_KEY).")


class UserScope(StrEnum):
    """The scopes of a user's token; service tokens are the services' own (docs/security.md)."""

    CONTRACTS_WRITE = Scope.CONTRACTS_WRITE.value
    ADMIN = Scope.ADMIN.value


@app.command("create")
@reported
def create(
    sub: Annotated[str, typer.Option("--sub", help="who the token is for, e.g. alice")],
    team: Annotated[
        list[str] | None, typer.Option("--team", help="team it may publish for (repeatable)")
    ] = None,
    scope: Annotated[
        list[UserScope] | None, typer.Option("--scope", help="scope (repeatable)")
    ] = None,
    ttl_days: Annotated[
        int,
        typer.Option(
            "--ttl-days",
            min=1,
            max=MAX_TTL.days,
            help=f"days until it expires (every token expires; at most {MAX_TTL.days})",
        ),
    ] = 30,
    email: Annotated[
        str | None,
        typer.Option(
            "--email",
            help="the address the holder owns: its notification preferences and watchers",
        ),
    ] = None,
) -> None:
    """Print a new token for the DataPact APIs (audience "datapact"). It is signed with
    DATAPACT_SECRET_KEY from the environment, ./.env or the repository's .env (the
    development secret if none is set)."""
    if not sub.strip():
        raise CliError("--sub must not be empty", ExitCode.USAGE)
    teams = [t.strip() for t in team or []]
    if not all(teams):
        raise CliError("--team must not be empty", ExitCode.USAGE)
    try:
        address = normalize_email(email) if email is not None else None
    except ValueError as exc:
        raise CliError(f"--email: {exc}", ExitCode.USAGE) from None
    secret, source = signing_secret()
    token = create_token(
        secret,
        sub.strip(),
        teams=teams,
        scopes=[s.value for s in scope or []],
        ttl=timedelta(days=ttl_days),
        email=address,
    )
    typer.echo(token)
    info(f"token for {sub.strip()}: signed with {source}; expires in {ttl_days} day(s)")
