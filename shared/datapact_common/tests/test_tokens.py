"""API tokens: create, decode, expiry, wrong secret, scopes and team permissions."""

from __future__ import annotations

import time
from datetime import timedelta

import jwt
import pytest

from datapact_common.exceptions import AuthenticationError
from datapact_common.tokens import (
    ALGORITHM,
    MAX_TTL,
    Principal,
    Scope,
    Service,
    VerifiedTokens,
    create_token,
    service_token,
)
from datapact_common.tokens import decode_token as decode_for

SECRET = "s" * 40
API = Service.CONTRACTS
CACHE = VerifiedTokens()  # shared by every test here, as an API's is by its requests


def decode_token(secret: str, token: str) -> Principal:
    """As the contract-service's API reads it: decoded, then twice through a cache of verified
    tokens (the first use and the next), which must answer the same, a refusal with the same
    reason."""
    outcomes: list[Principal | AuthenticationError] = []
    for _ in range(3):
        decode = decode_for if not outcomes else CACHE.decode
        try:
            outcomes.append(decode(secret, token, API))
        except AuthenticationError as exc:
            outcomes.append(exc)
    first = outcomes[0]
    if isinstance(first, AuthenticationError):
        assert all(isinstance(o, AuthenticationError) for o in outcomes), outcomes
        assert {str(o) for o in outcomes} == {str(first)}
        raise first
    assert outcomes == [first] * 3
    return first


def test_create_and_decode() -> None:
    token = create_token(
        SECRET, "alice", teams=["checkout", "checkout", "ops"], scopes=["contracts:write"]
    )
    principal = decode_token(SECRET, token)
    assert principal == Principal(
        sub="alice", teams=frozenset({"checkout", "ops"}), scopes=frozenset({"contracts:write"})
    )
    claims = jwt.decode(
        token, SECRET, algorithms=[ALGORITHM], issuer="datapact", audience="datapact"
    )
    assert claims["teams"] == ["checkout", "ops"]
    assert claims["aud"] == ["datapact"]
    assert claims["exp"] - claims["iat"] == 30 * 86400


def test_no_token_lives_longer_than_a_year() -> None:
    with pytest.raises(ValueError, match="at most 365 days"):
        create_token(SECRET, "robot", ttl=timedelta(days=366))
    token = create_token(SECRET, "robot", ttl=MAX_TTL)
    assert decode_token(SECRET, token).sub == "robot"


def test_expired_token_is_refused() -> None:
    token = create_token(SECRET, "alice", ttl=timedelta(seconds=-1))
    with pytest.raises(AuthenticationError, match="token expired") as caught:
        decode_token(SECRET, token)
    assert caught.value.status_code == 401


def test_wrong_secret_is_refused() -> None:
    token = create_token("another-secret-" * 3, "mallory", scopes=["admin"])
    with pytest.raises(AuthenticationError, match="invalid token: Signature verification failed"):
        decode_token(SECRET, token)


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "Bearer x"])
def test_garbage_is_refused(token: str) -> None:
    with pytest.raises(AuthenticationError, match="invalid token"):
        decode_token(SECRET, token)


def test_other_issuer_or_algorithm_is_refused() -> None:
    with pytest.raises(AuthenticationError, match="issuer"):
        decode_token(SECRET, _signed(iss="someone-else"))
    unsigned = jwt.encode(
        {"sub": "x", "iss": "datapact", "scopes": ["admin"]}, None, algorithm="none"
    )
    with pytest.raises(AuthenticationError, match="invalid token"):
        decode_token(SECRET, unsigned)


def test_missing_subject_is_refused() -> None:
    token = jwt.encode({"iss": "datapact"}, SECRET, algorithm=ALGORITHM)
    with pytest.raises(AuthenticationError, match="sub"):
        decode_token(SECRET, token)


def test_teams_must_be_a_list() -> None:
    with pytest.raises(AuthenticationError, match="'teams' must be a list"):
        decode_token(SECRET, _signed(teams="checkout"))


def _signed(**changes: object) -> str:
    """A well-formed token with some claims replaced (``None`` removes the claim)."""
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "mallory",
        "teams": ["checkout"],
        "scopes": ["contracts:write"],
        "iss": "datapact",
        "aud": ["datapact"],
        "iat": now,
        "exp": now + 3600,
    }
    claims.update(changes)
    return jwt.encode(
        {k: v for k, v in claims.items() if v is not None}, SECRET, algorithm=ALGORITHM
    )


def test_a_well_formed_token_reads() -> None:
    assert decode_token(SECRET, _signed()).teams == {"checkout"}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        # were the teams "None" and "5"
        ({"teams": [None, 5]}, "'teams' must hold non-empty strings"),
        ({"teams": ["checkout", ""]}, "'teams' must hold non-empty strings"),
        ({"teams": [" "]}, "'teams' must hold non-empty strings"),
        ({"teams": ["x" * 256]}, "'teams' must hold non-empty strings"),
        ({"teams": ["t"] * 1001}, "'teams' must be a list of at most 1000"),
        ({"teams": {"checkout": True}}, "'teams' must be a list"),
        ({"scopes": "admin"}, "'scopes' must be a list"),
        ({"scopes": [["admin"]]}, "'scopes' must hold non-empty strings"),
        ({"scopes": ["superuser"]}, r"unknown scope\(s\) \['superuser'\]"),
        ({"sub": ""}, "'sub' must be a non-empty string"),
        ({"sub": "  "}, "'sub' must be a non-empty string"),
        ({"sub": 42}, "Subject must be a string"),
        ({"sub": ["alice"]}, "Subject must be a string"),
        # was accepted, and a token without exp never expired
        ({"exp": None}, 'Token is missing the "exp" claim'),
        ({"exp": str(int(time.time()) + 3600)}, "'exp' must be an integer"),
        ({"exp": float(int(time.time()) + 3600)}, "'exp' must be an integer"),
        ({"exp": True}, "token expired"),  # PyJWT reads True as 1
        ({"iat": None}, 'Token is missing the "iat" claim'),
        ({"iat": str(int(time.time()))}, "'iat' must be an integer"),
        ({"exp": int(time.time()) + 400 * 86400}, "lives longer than 365 days"),
    ],
)
def test_claims_are_checked_not_coerced(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(AuthenticationError, match=reason) as caught:
        decode_token(SECRET, _signed(**changes))
    assert caught.value.status_code == 401


def test_absent_teams_and_scopes_are_empty() -> None:
    principal = decode_token(SECRET, _signed(teams=None, scopes=None))
    assert principal.teams == frozenset() and principal.scopes == frozenset()


def test_unknown_scope_cannot_be_minted() -> None:
    with pytest.raises(ValueError, match=r"unknown scope\(s\) \['contracts:delete'\]"):
        create_token(SECRET, "alice", scopes=["contracts:delete"])


def test_service_token() -> None:
    token = service_token(SECRET, Service.MONITOR, Service.CONTRACTS)
    principal = decode_token(SECRET, token)
    assert principal.sub == "service:compliance-monitor"
    assert principal.service == "compliance-monitor"
    assert principal.is_service and not principal.is_admin
    assert principal.has_scope(Scope.SERVICE)
    assert not principal.has_scope(Scope.CONTRACTS_WRITE)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["aud"] == "datapact:contract-service"
    assert claims["exp"] - claims["iat"] == 300  # minutes-lived: its holder renews it


def test_a_service_token_is_for_its_one_api() -> None:
    token = service_token(SECRET, Service.MONITOR, Service.CONTRACTS)
    for other in set(Service) - {Service.CONTRACTS}:
        with pytest.raises(AuthenticationError, match="not meant for the") as caught:
            decode_for(SECRET, token, other)
        assert caught.value.status_code == 401
        assert "datapact:contract-service" in caught.value.detail


def test_a_user_token_is_for_every_datapact_api() -> None:
    token = create_token(SECRET, "alice", teams=["checkout"], scopes=["contracts:write"])
    for api in Service:
        assert decode_for(SECRET, token, api).sub == "alice"


@pytest.mark.parametrize(
    ("aud", "reason"),
    [
        (None, "names no audience"),
        ("http://data.internal:8443", "not meant for the contract-service API"),
        (["http://data.internal:8443"], "not meant for the contract-service API"),
        ("datapact:notification-service", "not meant for the contract-service API"),
        ([], "names no audience"),
        ([5], "not meant for the contract-service API"),
    ],
)
def test_a_token_without_or_with_a_foreign_audience_is_refused(aud: object, reason: str) -> None:
    with pytest.raises(AuthenticationError, match=reason) as caught:
        decode_token(SECRET, _signed(aud=aud))
    assert caught.value.status_code == 401


@pytest.mark.parametrize(
    "changes",
    [
        # a service token for the whole platform, or for several APIs
        {"sub": "service:x", "scopes": ["service"], "aud": ["datapact"]},
        {
            "sub": "service:x",
            "scopes": ["service"],
            "aud": ["datapact:contract-service", "datapact:notification-service"],
        },
        # the service scope without a service subject, and the other way round
        {"sub": "mallory", "scopes": ["service"], "aud": "datapact:contract-service"},
        {"sub": "service:compliance-monitor", "scopes": [], "aud": ["datapact"]},
    ],
)
def test_service_tokens_have_one_shape(changes: dict[str, object]) -> None:
    with pytest.raises(AuthenticationError, match="invalid token"):
        decode_token(SECRET, _signed(**changes))


def test_a_user_token_cannot_carry_the_service_scope() -> None:
    with pytest.raises(ValueError, match="service_token"):
        create_token(SECRET, "robot", scopes=["service"])


def test_publisher_may_write_only_its_teams() -> None:
    publisher = Principal("alice", frozenset({"checkout"}), frozenset({Scope.CONTRACTS_WRITE}))
    assert publisher.can_write_team("checkout")
    assert not publisher.can_write_team("finance")


def test_team_member_without_write_scope_may_not_write() -> None:
    reader = Principal("bob", frozenset({"checkout"}), frozenset())
    assert not reader.can_write_team("checkout")


def test_admin_may_write_any_team_and_has_every_scope() -> None:
    admin = Principal("root", frozenset(), frozenset({Scope.ADMIN}))
    assert admin.is_admin and admin.can_write_team("anyone")
    assert admin.has_scope(Scope.CONTRACTS_WRITE) and admin.has_scope(Scope.SERVICE)


def test_service_may_not_write_contracts_of_teams() -> None:
    service = Principal("service:x", frozenset(), frozenset({Scope.SERVICE}))
    assert not service.can_write_team("checkout")


def test_email_claim_is_carried_lower_cased() -> None:
    token = create_token(SECRET, "alice", email=" Alice@Example.COM ")
    claims = jwt.decode(
        token, SECRET, algorithms=[ALGORITHM], issuer="datapact", audience="datapact"
    )
    assert claims["email"] == "alice@example.com"
    assert decode_token(SECRET, token).email == "alice@example.com"
    assert decode_token(SECRET, create_token(SECRET, "bob")).email is None


def test_an_email_claim_that_is_no_address_cannot_be_minted() -> None:
    with pytest.raises(ValueError, match="not a valid e-mail address"):
        create_token(SECRET, "alice", email="alice")


@pytest.mark.parametrize("email", [5, ["a@example.com"], "not-an-address", "a@b@example.com"])
def test_a_forged_email_claim_of_the_wrong_shape_is_refused(email: object) -> None:
    with pytest.raises(AuthenticationError, match="invalid token: email"):
        decode_token(SECRET, _signed(email=email))


@pytest.mark.parametrize("team", ["check\u200bout", "checkout\u202e", "check\nout"])
def test_team_claims_follow_the_rule_of_team_names(team: str) -> None:
    with pytest.raises(AuthenticationError, match="invalid token"):
        decode_token(SECRET, _signed(teams=[team]))
