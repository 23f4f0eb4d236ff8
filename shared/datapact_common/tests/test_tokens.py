"""API tokens: create, decode, expiry, wrong secret, scopes and team permissions."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from datapact_common.exceptions import AuthenticationError
from datapact_common.tokens import (
    ALGORITHM,
    Principal,
    Scope,
    create_token,
    decode_token,
    service_token,
)

SECRET = "s" * 40


def test_create_and_decode() -> None:
    token = create_token(
        SECRET, "alice", teams=["checkout", "checkout", "ops"], scopes=["contracts:write"]
    )
    principal = decode_token(SECRET, token)
    assert principal == Principal(
        sub="alice", teams=frozenset({"checkout", "ops"}), scopes=frozenset({"contracts:write"})
    )
    claims = jwt.decode(token, SECRET, algorithms=[ALGORITHM], issuer="datapact")
    assert claims["teams"] == ["checkout", "ops"]
    assert claims["exp"] - claims["iat"] == 30 * 86400


def test_a_token_without_ttl_never_expires() -> None:
    token = create_token(SECRET, "robot", ttl=None)
    assert "exp" not in jwt.decode(token, SECRET, algorithms=[ALGORITHM], issuer="datapact")
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
    foreign = jwt.encode({"sub": "x", "iss": "someone-else"}, SECRET, algorithm=ALGORITHM)
    with pytest.raises(AuthenticationError, match="issuer"):
        decode_token(SECRET, foreign)
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
    token = jwt.encode(
        {"sub": "x", "iss": "datapact", "teams": "checkout"}, SECRET, algorithm=ALGORITHM
    )
    with pytest.raises(AuthenticationError, match="teams and scopes must be lists"):
        decode_token(SECRET, token)


def test_unknown_scope_cannot_be_minted() -> None:
    with pytest.raises(ValueError, match=r"unknown scope\(s\) \['contracts:delete'\]"):
        create_token(SECRET, "alice", scopes=["contracts:delete"])


def test_service_token() -> None:
    principal = decode_token(SECRET, service_token(SECRET, "compliance-monitor"))
    assert principal.sub == "service:compliance-monitor"
    assert principal.is_service and not principal.is_admin
    assert principal.has_scope(Scope.SERVICE)
    assert not principal.has_scope(Scope.CONTRACTS_WRITE)


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
    claims = jwt.decode(token, SECRET, algorithms=[ALGORITHM], issuer="datapact")
    assert claims["email"] == "alice@example.com"
    assert decode_token(SECRET, token).email == "alice@example.com"
    assert decode_token(SECRET, create_token(SECRET, "bob")).email is None


def test_an_email_claim_that_is_no_address_cannot_be_minted() -> None:
    with pytest.raises(ValueError, match="not a valid e-mail address"):
        create_token(SECRET, "alice", email="alice")


@pytest.mark.parametrize("email", [5, ["a@example.com"], "not-an-address", "a@b@example.com"])
def test_a_forged_email_claim_of_the_wrong_shape_is_refused(email: object) -> None:
    token = jwt.encode({"sub": "x", "iss": "datapact", "email": email}, SECRET, algorithm=ALGORITHM)
    with pytest.raises(AuthenticationError, match="invalid token: email"):
        decode_token(SECRET, token)
