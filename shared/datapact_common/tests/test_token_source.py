"""TokenSource: one service token per API, handed out until shortly before it expires, then
renewed; driven by a controlled clock, never by sleeping."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from datapact_common.exceptions import AuthenticationError
from datapact_common.token_source import TokenSource
from datapact_common.tokens import Service, decode_token

SECRET = "s" * 40


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _claims(token: str) -> dict[str, object]:
    claims: dict[str, object] = jwt.decode(token, options={"verify_signature": False})
    return claims


def test_the_token_is_kept_until_a_minute_before_it_expires_then_renewed() -> None:
    clock = Clock()
    source = TokenSource(SECRET, Service.MONITOR, Service.CONTRACTS, clock=clock)
    first = source.token()
    claims = _claims(first)
    assert claims["aud"] == "datapact:contract-service"
    assert claims["sub"] == "service:compliance-monitor"
    assert claims["exp"] == int(clock.now.timestamp()) + 300
    clock.advance(minutes=3, seconds=59)
    assert source.token() == first
    clock.advance(seconds=1)  # four minutes in: one minute left, time for the next one
    second = source.token()
    assert second != first
    assert _claims(second)["exp"] == int(clock.now.timestamp()) + 300


def test_a_day_of_uptime_never_hands_out_an_expired_token() -> None:
    """The monitor's old token was minted once for 24 h; a source renews all day long."""
    clock = Clock()
    source = TokenSource(SECRET, Service.MONITOR, Service.NOTIFICATIONS, clock=clock)
    minted = set()
    for _ in range(24 * 60):
        token = source.token()
        minted.add(token)
        assert int(_claims(token)["exp"]) - clock.now.timestamp() >= 60  # type: ignore[arg-type]
        clock.advance(minutes=1)
    assert 24 * 60 // 4 <= len(minted) <= 24 * 60 // 4 + 1


def test_an_expired_token_is_refused_and_the_renewed_one_read() -> None:
    clock = Clock()
    clock.now = datetime.now(UTC) - timedelta(minutes=10)
    source = TokenSource(SECRET, Service.CONTRACTS, Service.NOTIFICATIONS, clock=clock)
    stale = source.token()
    with pytest.raises(AuthenticationError, match="token expired"):
        decode_token(SECRET, stale, Service.NOTIFICATIONS)
    clock.now = datetime.now(UTC)
    assert decode_token(SECRET, source.token(), Service.NOTIFICATIONS).service == (
        "contract-service"
    )
    assert source.headers() == {"Authorization": f"Bearer {source.token()}"}


def test_the_secret_is_read_when_minting() -> None:
    secrets = iter(["first-secret-" * 3, "second-secret-" * 3])
    current = {"value": next(secrets)}
    clock = Clock()
    source = TokenSource(lambda: current["value"], Service.MONITOR, Service.CONTRACTS, clock=clock)
    jwt.decode(source.token(), current["value"], algorithms=["HS256"], audience=_aud(), leeway=600)
    current["value"] = next(secrets)
    clock.advance(minutes=5)
    jwt.decode(source.token(), current["value"], algorithms=["HS256"], audience=_aud(), leeway=600)


def _aud() -> str:
    return "datapact:contract-service"


def test_threads_share_one_token() -> None:
    source = TokenSource(SECRET, Service.NOTIFICATIONS, Service.CONTRACTS, clock=Clock())
    seen: list[str] = []
    threads = [threading.Thread(target=lambda: seen.append(source.token())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1


def test_renewal_must_come_before_expiry() -> None:
    with pytest.raises(ValueError, match="renew_before"):
        TokenSource(
            SECRET, Service.MONITOR, Service.CONTRACTS, ttl=timedelta(minutes=1),
            renew_before=timedelta(minutes=1),
        )  # fmt: skip
