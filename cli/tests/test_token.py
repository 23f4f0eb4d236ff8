"""`datapact token create`: signed with DATAPACT_SECRET_KEY from env, ./.env or the repo's .env."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jwt
import pytest
from click.testing import Result

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Principal, Service
from datapact_common.tokens import decode_token as decode_for

Cli = Callable[..., Result]
SECRET = "a-production-like-secret-of-enough-length"


def decode_token(secret: str, token: str) -> Principal:
    """As every DataPact API reads it: a user token is for all of them."""
    principals = {decode_for(secret, token, api) for api in Service}
    assert len(principals) == 1
    return principals.pop()


def _token(result: Result) -> str:
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1  # only the token on stdout, so `$(datapact token create ...)` works
    return lines[0]


def test_development_secret_by_default(cli: Cli) -> None:
    result = cli(
        "token", "create", "--sub", "alice", "--team", "checkout", "--scope", "contracts:write"
    )
    principal = decode_token(DEVELOPMENT_SECRET, _token(result))
    assert principal.sub == "alice"
    assert principal.teams == {"checkout"}
    assert principal.scopes == {"contracts:write"}
    assert "signed with the development default secret" in result.stderr


def test_repeatable_team_and_scope(cli: Cli) -> None:
    result = cli(
        "token", "create", "--sub", "ops", "--team", "a", "--team", "b", "--scope", "admin",
        "--scope", "contracts:write",
    )  # fmt: skip
    principal = decode_token(DEVELOPMENT_SECRET, _token(result))
    assert principal.teams == {"a", "b"} and principal.scopes == {"admin", "contracts:write"}


def test_email(cli: Cli) -> None:
    result = cli("token", "create", "--sub", "alice", "--email", "Alice@Example.com")
    assert decode_token(DEVELOPMENT_SECRET, _token(result)).email == "alice@example.com"
    assert (
        decode_token(DEVELOPMENT_SECRET, _token(cli("token", "create", "--sub", "x"))).email is None
    )


def test_secret_from_the_environment(cli: Cli) -> None:
    result = cli("token", "create", "--sub", "alice", env={"DATAPACT_SECRET_KEY": SECRET})
    assert decode_token(SECRET, _token(result)).sub == "alice"
    assert "DATAPACT_SECRET_KEY from the environment" in result.stderr
    with pytest.raises(Exception, match="Signature verification failed"):
        decode_token(DEVELOPMENT_SECRET, _token(result))


def test_secret_from_dotenv_in_the_current_folder(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"ENVIRONMENT=development\nDATAPACT_SECRET_KEY={SECRET}\n")
    result = cli("token", "create", "--sub", "alice")
    assert decode_token(SECRET, _token(result)).sub == "alice"
    assert f"from {tmp_path / '.env'}" in result.stderr


def test_secret_from_the_repository_root(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".env").write_text(f"DATAPACT_SECRET_KEY={SECRET}\n")
    work = tmp_path / "services" / "x"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    assert decode_token(SECRET, _token(cli("token", "create", "--sub", "alice"))).sub == "alice"


def test_current_folder_wins_over_the_repository_root(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".env").write_text("DATAPACT_SECRET_KEY=root-secret-root-secret-root-secret\n")
    work = tmp_path / "sub"
    work.mkdir()
    (work / ".env").write_text(f"DATAPACT_SECRET_KEY={SECRET}\n")
    monkeypatch.chdir(work)
    assert decode_token(SECRET, _token(cli("token", "create", "--sub", "x"))).sub == "x"


def test_environment_wins_over_dotenv(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DATAPACT_SECRET_KEY=from-the-dotenv-file-000000000000\n")
    result = cli("token", "create", "--sub", "x", env={"DATAPACT_SECRET_KEY": SECRET})
    assert decode_token(SECRET, _token(result)).sub == "x"


def test_ttl(cli: Cli) -> None:
    token = _token(cli("token", "create", "--sub", "x", "--ttl-days", "2"))
    claims = jwt.decode(
        token, DEVELOPMENT_SECRET, algorithms=["HS256"], issuer="datapact", audience="datapact"
    )
    assert claims["exp"] - claims["iat"] == 2 * 86400
    assert claims["aud"] == ["datapact"]
    year = _token(cli("token", "create", "--sub", "x", "--ttl-days", "365"))
    assert decode_token(DEVELOPMENT_SECRET, year).sub == "x"


@pytest.mark.parametrize(
    "args",
    [
        ["token", "create"],
        ["token", "create", "--sub", "x", "--scope", "contracts:delete"],
        # service tokens are minted by the services, for one API and minutes
        ["token", "create", "--sub", "x", "--scope", "service"],
        ["token", "create", "--sub", "x", "--ttl-days", "-1"],
        # was a token that never expires
        ["token", "create", "--sub", "x", "--ttl-days", "0"],
        ["token", "create", "--sub", "x", "--ttl-days", "366"],
        ["token", "create", "--sub", " "],
        # was exit 5, "unexpected failure: OverflowError: date value out of range"
        ["token", "create", "--sub", "x", "--ttl-days", "100000000"],
        # was a token for the team "" (no team can use it)
        ["token", "create", "--sub", "x", "--team", ""],
        ["token", "create", "--sub", "x", "--team", "checkout", "--team", " "],
        ["token", "create", "--sub", "x", "--email", "alice"],
    ],
)
def test_usage_errors_exit_2(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
