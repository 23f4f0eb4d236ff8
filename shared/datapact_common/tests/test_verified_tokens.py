"""The verified-token cache (VerifiedTokens): what it must never do, as an attacker would try
it, and that it is bounded. The real clock where a refusal is asserted (PyJWT reads it too);
a controlled one where only the cache's own decision is."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta

import jwt
import pytest

from datapact_common.exceptions import AuthenticationError
from datapact_common.tokens import (
    ALGORITHM,
    Service,
    VerifiedTokens,
    create_token,
    service_token,
)

SECRET = "verified-tokens-secret-" * 2
API = Service.NOTIFICATIONS


def signed(exp: int, sub: str = "alice", secret: str = SECRET) -> str:
    now = int(time.time())
    claims = {"sub": sub, "aud": ["datapact"], "iss": "datapact", "iat": now, "exp": exp}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def test_a_token_is_verified_once_then_looked_up() -> None:
    cache = VerifiedTokens()
    token = create_token(SECRET, "alice", teams=["checkout"], scopes=["contracts:write"])
    first = cache.decode(SECRET, token, API)
    again = cache.decode(SECRET, token, API)
    assert again is first
    assert (cache.misses, cache.hits, len(cache)) == (1, 1, 1)


def test_an_expired_token_is_refused_after_being_cached() -> None:
    cache = VerifiedTokens(max_age=3600)
    exp = int(time.time()) + 2
    token = signed(exp)
    assert cache.decode(SECRET, token, API).sub == "alice"
    assert cache.decode(SECRET, token, API).sub == "alice"
    assert cache.hits == 1
    while time.time() < exp:  # the token's own exp passes; the cache's age limit does not
        time.sleep(0.05)
    for _ in range(2):
        with pytest.raises(AuthenticationError, match="token expired") as caught:
            cache.decode(SECRET, token, API)
        assert caught.value.status_code == 401
    assert cache.hits == 1
    assert len(cache) == 0


def test_an_entry_never_serves_at_or_past_the_tokens_exp() -> None:
    now = [time.time()]
    cache = VerifiedTokens(max_age=3600, clock=lambda: now[0])
    exp = int(now[0]) + 600
    token = signed(exp)
    cache.decode(SECRET, token, API)
    now[0] = exp - 0.001
    cache.decode(SECRET, token, API)
    assert (cache.misses, cache.hits) == (1, 1)
    now[0] = exp  # PyJWT: valid while now < exp
    cache.decode(SECRET, token, API)  # verified anew (PyJWT's real clock: still valid)
    assert (cache.misses, cache.hits) == (2, 1)


def test_an_entry_serves_for_max_age_at_most() -> None:
    ticks = [1000.0]
    cache = VerifiedTokens(max_age=60, monotonic=lambda: ticks[0])
    token = create_token(SECRET, "alice")
    cache.decode(SECRET, token, API)
    ticks[0] += 59.9
    cache.decode(SECRET, token, API)
    ticks[0] += 0.1  # 60 s after it was verified
    cache.decode(SECRET, token, API)
    assert (cache.misses, cache.hits) == (2, 1)


def test_a_wrong_audience_is_never_accepted_from_the_cache() -> None:
    cache = VerifiedTokens()
    for_notifications = service_token(SECRET, Service.MONITOR, Service.NOTIFICATIONS)
    assert cache.decode(SECRET, for_notifications, Service.NOTIFICATIONS).service == (
        "compliance-monitor"
    )
    assert cache.decode(SECRET, for_notifications, Service.NOTIFICATIONS).sub
    for other in set(Service) - {Service.NOTIFICATIONS}:
        for _ in range(2):
            with pytest.raises(AuthenticationError, match="not meant for the") as caught:
                cache.decode(SECRET, for_notifications, other)
            assert caught.value.status_code == 401
    assert len(cache) == 1


def test_another_secret_finds_no_entry() -> None:
    """A rotated DATAPACT_SECRET_KEY refuses the tokens of the old one at once."""
    cache = VerifiedTokens()
    token = create_token(SECRET, "alice", scopes=["admin"])
    cache.decode(SECRET, token, API)
    with pytest.raises(AuthenticationError, match="Signature verification failed"):
        cache.decode("the-rotated-secret-" * 2, token, API)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "a.b.c",
        create_token("not-the-secret-" * 3, "mallory", scopes=["admin"]),
        create_token(SECRET, "alice", ttl=timedelta(seconds=-1)),
        jwt.encode({"sub": "x", "iss": "datapact", "aud": "datapact"}, None, algorithm="none"),
        jwt.encode(
            {"sub": "x", "iss": "elsewhere", "aud": "datapact", "iat": 1, "exp": 2**40},
            SECRET,
            algorithm=ALGORITHM,
        ),
        service_token(SECRET, Service.MONITOR, Service.CONTRACTS),
    ],
)
def test_a_refused_token_is_never_kept(token: str) -> None:
    cache = VerifiedTokens()
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            cache.decode(SECRET, token, API)
    assert len(cache) == 0
    assert (cache.misses, cache.hits) == (2, 0)


def test_a_token_altered_in_any_part_is_verified_on_its_own() -> None:
    """A cached token with its claims swapped (admin scope) or its signature changed is
    another string: no entry, and the check refuses it."""
    cache = VerifiedTokens()
    token = create_token(SECRET, "alice", teams=["checkout"])
    cache.decode(SECRET, token, API)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scopes"] = ["admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    for altered in (f"{header}.{forged}.{signature}", f"{header}.{payload}.{flipped}"):
        with pytest.raises(AuthenticationError, match="invalid token"):
            cache.decode(SECRET, altered, API)
    assert len(cache) == 1


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    cache = VerifiedTokens(size=3)
    tokens = [create_token(SECRET, f"user{i}") for i in range(5)]
    for token in tokens[:3]:
        cache.decode(SECRET, token, API)
    cache.decode(SECRET, tokens[0], API)  # used again: the least recent is now user1
    for token in tokens[3:]:
        cache.decode(SECRET, token, API)
    assert len(cache) == 3
    hits = cache.hits
    for kept in (tokens[0], tokens[3], tokens[4]):
        cache.decode(SECRET, kept, API)
    assert cache.hits == hits + 3
    cache.decode(SECRET, tokens[1], API)  # dropped: verified anew
    assert cache.hits == hits + 3
    assert len(cache) == 3


def test_a_very_long_token_is_not_kept() -> None:
    cache = VerifiedTokens()
    token = create_token(SECRET, "alice", teams=[f"team_{i:04d}" for i in range(900)])
    assert len(token) > 8192
    assert cache.decode(SECRET, token, API).sub == "alice"
    assert len(cache) == 0


def test_a_cache_needs_a_size_and_an_age() -> None:
    with pytest.raises(ValueError, match="size"):
        VerifiedTokens(size=0)
    with pytest.raises(ValueError, match="max_age"):
        VerifiedTokens(max_age=0)
