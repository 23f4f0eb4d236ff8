"""The monitor's credential for a data service: audience-bound, minutes-lived, and worthless
to every DataPact API (another key) and to every other data service (another audience)."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import jwt
import pytest

from datapact_common.data_service_credentials import (
    MAX_TTL,
    derive_key,
    is_credential,
    mint,
    origin,
    verify,
)
from datapact_common.exceptions import AuthenticationError
from datapact_common.timeutil import utcnow
from datapact_common.tokens import Service, decode_token

SECRET = "s" * 40


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://Data.Internal:8443/api", "http://data.internal:8443"),
        ("https://data.internal", "https://data.internal:443"),
        ("http://data.internal/", "http://data.internal:80"),
        ("http://[::1]:8003", "http://[::1]:8003"),
    ],
)
def test_the_audience_is_the_origin_with_its_port(url: str, expected: str) -> None:
    assert origin(url) == expected


@pytest.mark.parametrize(
    "url", ["ftp://x:21", "data.internal:8443", "http://:80", "http://x:99999"]
)
def test_a_url_without_an_origin_is_refused(url: str) -> None:
    with pytest.raises(ValueError):
        origin(url)


def test_the_data_service_it_was_minted_for_accepts_it() -> None:
    token = mint(SECRET, "http://data.internal:8443/base")
    assert is_credential(token)
    credential = verify(
        token,
        audience="http://data.internal:8443",
        key=derive_key(SECRET, "http://data.internal:8443"),
    )
    assert credential.audience == "http://data.internal:8443"
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 300
    assert claims["aud"] == "http://data.internal:8443"


def test_no_datapact_api_can_verify_it() -> None:
    token = mint(SECRET, "http://127.0.0.1:8001")
    for api in Service:
        with pytest.raises(AuthenticationError, match="invalid token"):
            decode_token(SECRET, token, api)


@pytest.mark.parametrize(
    "other",
    ["http://data.internal:8444", "https://data.internal:8443", "http://evil.internal:8443"],
)
def test_another_origin_refuses_it_even_with_the_platform_secret(other: str) -> None:
    token = mint(SECRET, "http://data.internal:8443")
    with pytest.raises(AuthenticationError, match="invalid data service credential"):
        verify(token, audience=other, key=derive_key(SECRET, other))
    # Nor does the right audience help without that origin's key.
    with pytest.raises(AuthenticationError, match="invalid data service credential"):
        verify(token, audience="http://data.internal:8443", key=derive_key(SECRET, other))


def test_keys_differ_per_origin_and_from_the_secret() -> None:
    keys = {derive_key(SECRET, f"http://data.internal:{port}") for port in (80, 8443, 8444)}
    assert len(keys) == 3 and SECRET.encode() not in keys


def test_it_expires_within_minutes() -> None:
    audience = "http://data.internal:8443"
    key = derive_key(SECRET, audience)
    minted_at = utcnow() - timedelta(minutes=6)
    token = mint(SECRET, audience, now=minted_at)
    verify(token, audience=audience, key=key, now=minted_at + timedelta(minutes=4))
    with pytest.raises(AuthenticationError, match="expired"):
        verify(token, audience=audience, key=key)
    with pytest.raises(ValueError, match="at most"):
        mint(SECRET, audience, ttl=MAX_TTL + timedelta(seconds=1))


def test_a_long_lived_token_signed_with_the_right_key_is_refused() -> None:
    audience = "http://data.internal:8443"
    key = derive_key(SECRET, audience)
    now = int(utcnow().timestamp())
    claims = {"iss": "datapact-compliance-monitor", "sub": "x", "aud": audience}
    forged = jwt.encode({**claims, "iat": now, "exp": now + 86400}, key, algorithm="HS256")
    with pytest.raises(AuthenticationError, match="lives too long"):
        verify(forged, audience=audience, key=key)
    stringy = jwt.encode({**claims, "iat": str(now), "exp": now + 60}, key, algorithm="HS256")
    with pytest.raises(AuthenticationError):
        verify(stringy, audience=audience, key=key)


def test_the_key_is_printed_for_a_data_service() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "datapact_common.data_service_credentials", "http://x:8443"],
        env={"DATAPACT_SECRET_KEY": SECRET},
        capture_output=True,
        text=True,
        check=True,
    )
    assert bytes.fromhex(done.stdout.strip()) == derive_key(SECRET, "http://x:8443")
