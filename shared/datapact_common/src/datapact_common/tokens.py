"""API tokens: HS256 JWTs carrying ``sub``, ``teams``, ``scopes`` and optionally ``email``,
with a bounded lifetime.

Every claim is type-checked when a token is read, never coerced: ``sub`` is a non-empty
string, ``teams`` and ``scopes`` lists of non-empty strings, ``iat`` and ``exp`` integers,
``email`` an address, and ``exp`` is required (no token lives forever, nor longer than
:data:`MAX_TTL`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

import jwt
from pydantic import EmailStr, TypeAdapter, ValidationError

from datapact_common.exceptions import AuthenticationError
from datapact_common.names import name_problem
from datapact_common.timeutil import utcnow

ISSUER = "datapact"
ALGORITHM = "HS256"
_EMAIL = TypeAdapter(EmailStr)
# The longest a token may live, from ``iat`` to ``exp``; reading allows a day more for clocks.
MAX_TTL = timedelta(days=365)
DEFAULT_TTL = timedelta(days=30)
MAX_NAME_CHARS = 255
MAX_LIST_ITEMS = 1000


class Scope(StrEnum):
    CONTRACTS_WRITE = "contracts:write"
    ADMIN = "admin"
    SERVICE = "service"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the decoded token."""

    sub: str
    teams: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    # The address this token speaks for (lower-cased): its holder owns that address's
    # notification preferences and may watch with it without a confirmation e-mail.
    email: str | None = None

    @property
    def is_admin(self) -> bool:
        return Scope.ADMIN in self.scopes

    @property
    def is_service(self) -> bool:
        return Scope.SERVICE in self.scopes

    def has_scope(self, scope: Scope) -> bool:
        return scope in self.scopes or self.is_admin

    def can_write_team(self, team: str) -> bool:
        """May this principal change contracts published by ``team``?"""
        if self.is_admin:
            return True
        return Scope.CONTRACTS_WRITE in self.scopes and team in self.teams


def create_token(
    secret: str,
    sub: str,
    *,
    teams: list[str] | None = None,
    scopes: list[str] | None = None,
    ttl: timedelta = DEFAULT_TTL,
    email: str | None = None,
) -> str:
    """Mint a token that expires after ``ttl`` (at most :data:`MAX_TTL`).

    ``email`` is validated and lower-cased; :class:`ValueError` if it is not an address.
    """
    unknown = [s for s in scopes or [] if s not in set(Scope)]
    if unknown:
        raise ValueError(f"unknown scope(s) {unknown}; known: {', '.join(s.value for s in Scope)}")
    if ttl > MAX_TTL:
        raise ValueError(f"a token lives at most {MAX_TTL.days} days")
    now = int(utcnow().timestamp())
    claims: dict[str, object] = {
        "sub": sub,
        "teams": sorted(set(teams or [])),
        "scopes": sorted(set(scopes or [])),
        "iss": ISSUER,
        "iat": now,
        "exp": now + int(ttl.total_seconds()),
    }
    if email is not None:
        claims["email"] = normalize_email(email)
    _check_claims(claims)
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def normalize_email(value: str) -> str:
    """The validated, lower-cased address; :class:`ValueError` naming the reason otherwise."""
    try:
        return _EMAIL.validate_python(value.strip()).lower()
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"] if exc.errors() else "invalid"
        raise ValueError(f"{value!r} is not a valid e-mail address: {reason}") from None


def service_token(secret: str, service_name: str, ttl: timedelta = timedelta(days=1)) -> str:
    """The token one DataPact service presents to another."""
    return create_token(secret, f"service:{service_name}", scopes=[Scope.SERVICE], ttl=ttl)


def decode_token(secret: str, token: str) -> Principal:
    """Verify and decode; raises :class:`AuthenticationError` with the reason."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "iss", "iat", "exp"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("token expired") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(f"invalid token: {exc}") from exc
    try:
        _check_claims(claims)
    except ValueError as exc:
        raise AuthenticationError(f"invalid token: {exc}") from exc
    return Principal(
        sub=claims["sub"],
        teams=frozenset(claims.get("teams") or ()),
        scopes=frozenset(claims.get("scopes") or ()),
        email=_email_claim(claims.get("email")),
    )


def _email_claim(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise AuthenticationError("invalid token: email must be a string")
    try:
        return normalize_email(value)
    except ValueError as exc:
        raise AuthenticationError(f"invalid token: email: {exc}") from None


def _check_claims(claims: Mapping[str, Any]) -> None:
    """Raise ValueError naming the first claim of the wrong type or size."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip() or len(sub) > MAX_NAME_CHARS:
        raise ValueError(f"'sub' must be a non-empty string of at most {MAX_NAME_CHARS} chars")
    for name in ("teams", "scopes"):
        _check_names(name, claims.get(name, []))
    unknown = sorted(set(claims.get("scopes") or ()) - {s.value for s in Scope})
    if unknown:
        raise ValueError(f"unknown scope(s) {unknown}")
    for name in ("iat", "exp"):
        value = claims.get(name)
        if type(value) is not int:  # bool is an int subclass, a string "9999999999" is not one
            raise ValueError(f"'{name}' must be an integer (seconds since the epoch)")
    if claims["exp"] - claims["iat"] > MAX_TTL.total_seconds() + 86400:
        raise ValueError(f"the token lives longer than {MAX_TTL.days} days")


def _check_names(claim: str, value: object) -> None:
    if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
        raise ValueError(f"'{claim}' must be a list of at most {MAX_LIST_ITEMS} strings")
    for item in value:
        if not isinstance(item, str) or not item.strip() or len(item) > MAX_NAME_CHARS:
            raise ValueError(
                f"'{claim}' must hold non-empty strings of at most {MAX_NAME_CHARS} chars, "
                f"not {item!r:.40}"
            )
        problem = name_problem(item)  # the rule of team names in contracts
        if problem is not None:
            raise ValueError(f"'{claim}' entry {item!r:.40} {problem}")
