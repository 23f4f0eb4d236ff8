"""API tokens: HS256 JWTs carrying ``sub``, ``teams``, ``scopes`` and optionally ``email``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

import jwt
from pydantic import EmailStr, TypeAdapter, ValidationError

from datapact_common.exceptions import AuthenticationError
from datapact_common.timeutil import utcnow

ISSUER = "datapact"
ALGORITHM = "HS256"
_EMAIL = TypeAdapter(EmailStr)


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
    ttl: timedelta | None = timedelta(days=30),
    email: str | None = None,
) -> str:
    """Mint a token. ``ttl=None`` makes one that never expires.

    ``email`` is validated and lower-cased; :class:`ValueError` if it is not an address.
    """
    unknown = [s for s in scopes or [] if s not in set(Scope)]
    if unknown:
        raise ValueError(f"unknown scope(s) {unknown}; known: {', '.join(s.value for s in Scope)}")
    now = utcnow()
    claims: dict[str, object] = {
        "sub": sub,
        "teams": sorted(set(teams or [])),
        "scopes": sorted(set(scopes or [])),
        "iss": ISSUER,
        "iat": int(now.timestamp()),
    }
    if email is not None:
        claims["email"] = normalize_email(email)
    if ttl is not None:
        claims["exp"] = int((now + ttl).timestamp())
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
            options={"require": ["sub", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("token expired") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(f"invalid token: {exc}") from exc
    teams = claims.get("teams") or []
    scopes = claims.get("scopes") or []
    if not isinstance(teams, list) or not isinstance(scopes, list):
        raise AuthenticationError("invalid token: teams and scopes must be lists")
    return Principal(
        sub=str(claims["sub"]),
        teams=frozenset(str(t) for t in teams),
        scopes=frozenset(str(s) for s in scopes),
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
