"""API tokens: HS256 JWTs carrying ``sub``, ``aud``, ``teams``, ``scopes`` and optionally
``email``, with a bounded lifetime.

Every token names its audience, and every DataPact API accepts only its own (docs/security.md):

- a user token (:func:`create_token`: the CLI's ``datapact token create``) is for the platform,
  ``aud = ["datapact"]``, and every DataPact API takes it;
- a service token (:func:`service_token`) is for ONE API, ``aud = "datapact:<service>"``
  (:func:`api_audience`), lives minutes (:data:`SERVICE_TTL`) and is renewed by its holder
  (:class:`datapact_common.token_source.TokenSource`).

A token without ``aud``, or whose audience is not the API reading it (say the origin of a
data service, ``http://data.internal:8443``), is refused with 401.

Every claim is type-checked when a token is read, never coerced: ``sub`` is a non-empty
string, ``teams`` and ``scopes`` lists of non-empty strings, ``iat`` and ``exp`` integers,
``email`` an address, and ``exp`` is required (no token lives forever, nor longer than
:data:`MAX_TTL`).

An API keeps the tokens it verified in a :class:`VerifiedTokens` cache (its ``Auth``), so a
token presented again is not decoded again: the entry is found by the exact token string, the
secret and the API; it serves only while the token's own ``exp`` is in the future (checked at
every use) and for at most :data:`VERIFIED_TOKEN_SECONDS`; a token that fails is never kept.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import jwt
from pydantic import EmailStr, TypeAdapter, ValidationError

from datapact_common.exceptions import AuthenticationError
from datapact_common.names import name_problem
from datapact_common.timeutil import utcnow

ISSUER = "datapact"
ALGORITHM = "HS256"
# The audience of user tokens: every DataPact API.
PLATFORM_AUDIENCE = "datapact"
SERVICE_SUBJECT_PREFIX = "service:"
# A service token's lifetime; its holder mints the next one before this runs out.
SERVICE_TTL = timedelta(minutes=5)
_EMAIL = TypeAdapter(EmailStr)
# The longest a token may live, from ``iat`` to ``exp``; reading allows a day more for clocks.
MAX_TTL = timedelta(days=365)
DEFAULT_TTL = timedelta(days=30)
MAX_NAME_CHARS = 255
MAX_LIST_ITEMS = 1000
# The verified-token cache of an API (VerifiedTokens): how many tokens, for how long at most
# (never past a token's own exp), and the longest token it keeps (a longer one is decoded at
# every request, as all were before).
VERIFIED_TOKENS = 1024
VERIFIED_TOKEN_SECONDS = 60.0
VERIFIED_TOKEN_MAX_CHARS = 8192


class Scope(StrEnum):
    CONTRACTS_WRITE = "contracts:write"
    ADMIN = "admin"
    SERVICE = "service"


class Service(StrEnum):
    """The DataPact services: each is one API (the audience of the tokens meant for it) and
    one service identity (``sub = "service:<name>"`` of the tokens it mints)."""

    CONTRACTS = "contract-service"
    NOTIFICATIONS = "notification-service"
    DICTIONARY = "dictionary-service"
    MONITOR = "compliance-monitor"
    # Every data service that takes DataPact tokens (the template data service, the agent).
    DATA_SERVICE = "data-service"


def api_audience(service: Service) -> str:
    """The ``aud`` of the service tokens meant for ``service``'s API."""
    return f"{PLATFORM_AUDIENCE}:{service.value}"


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

    @property
    def service(self) -> str | None:
        """The calling service's name (a service token's ``sub`` without ``service:``)."""
        if not self.is_service:
            return None
        return self.sub.removeprefix(SERVICE_SUBJECT_PREFIX)

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
    """Mint a user token for every DataPact API (``aud = ["datapact"]``) that expires after
    ``ttl`` (at most :data:`MAX_TTL`).

    ``email`` is validated and lower-cased; :class:`ValueError` if it is not an address.
    Service tokens come from :func:`service_token` only.
    """
    unknown = [s for s in scopes or [] if s not in set(Scope)]
    if unknown:
        raise ValueError(f"unknown scope(s) {unknown}; known: {', '.join(s.value for s in Scope)}")
    if Scope.SERVICE in (scopes or []):
        raise ValueError("a service token is minted for one API by service_token(), not here")
    return _mint(secret, sub, [PLATFORM_AUDIENCE], teams=teams, scopes=scopes, ttl=ttl, email=email)


def _mint(
    secret: str,
    sub: str,
    audience: str | list[str],
    *,
    teams: list[str] | None = None,
    scopes: list[str] | None = None,
    ttl: timedelta,
    email: str | None = None,
    now: datetime | None = None,
) -> str:
    if ttl > MAX_TTL:
        raise ValueError(f"a token lives at most {MAX_TTL.days} days")
    issued = int((now or utcnow()).timestamp())
    claims: dict[str, object] = {
        "sub": sub,
        "aud": audience,
        "teams": sorted(set(teams or [])),
        "scopes": sorted(set(scopes or [])),
        "iss": ISSUER,
        "iat": issued,
        "exp": issued + int(ttl.total_seconds()),
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


def service_token(
    secret: str,
    caller: Service,
    api: Service,
    *,
    ttl: timedelta = SERVICE_TTL,
    now: datetime | None = None,
) -> str:
    """The token ``caller`` presents to ``api``, and to no other API: ``aud`` is
    ``api``'s alone, and it lives ``ttl`` (minutes), so its holder renews it
    (:class:`datapact_common.token_source.TokenSource`)."""
    return _mint(
        secret,
        f"{SERVICE_SUBJECT_PREFIX}{caller.value}",
        api_audience(api),
        scopes=[Scope.SERVICE],
        ttl=ttl,
        now=now,
    )


def decode_token(secret: str, token: str, api: Service) -> Principal:
    """Verify and decode a token presented to ``api``; raises :class:`AuthenticationError`
    with the reason. Accepted audiences: the platform's (user tokens) and ``api``'s own."""
    return _verify(secret, token, api)[0]


def _verify(secret: str, token: str, api: Service) -> tuple[Principal, int]:
    """:func:`decode_token`, and the token's ``exp``."""
    accepted = [PLATFORM_AUDIENCE, api_audience(api)]
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            audience=accepted,
            options={"require": ["sub", "iss", "iat", "exp", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("token expired") from exc
    except jwt.MissingRequiredClaimError as exc:
        if exc.claim == "aud":
            raise AuthenticationError(
                "invalid token: it names no audience ('aud'); mint a new one "
                "(datapact token create)"
            ) from exc
        raise AuthenticationError(f"invalid token: {exc}") from exc
    except jwt.InvalidAudienceError as exc:
        raise AuthenticationError(
            f"invalid token: it is not meant for the {api.value} API "
            f"(its audience is {_audience_of(token)}; accepted: {', '.join(accepted)})"
        ) from exc
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(f"invalid token: {exc}") from exc
    try:
        _check_claims(claims)
    except ValueError as exc:
        raise AuthenticationError(f"invalid token: {exc}") from exc
    principal = Principal(
        sub=claims["sub"],
        teams=frozenset(claims.get("teams") or ()),
        scopes=frozenset(claims.get("scopes") or ()),
        email=_email_claim(claims.get("email")),
    )
    return principal, claims["exp"]


@dataclass(frozen=True, slots=True)
class _Verified:
    principal: Principal
    exp: int  # the token's own, seconds since the epoch
    kept_until: float  # monotonic: the entry's age limit


class VerifiedTokens:
    """The tokens an API verified, by the exact token string (with the secret and the API it
    was verified with and for), so that the same token presented again costs a lookup, not an
    HS256 check and a decode (~11 % of an ingest request). :meth:`decode` answers exactly as
    :func:`decode_token`:

    - a token is kept only after :func:`decode_token` accepted it (signature, algorithm,
      issuer, audience, every claim); a token that fails is never kept, and is checked anew
      every time it is presented;
    - an entry serves while the token's ``exp`` is in the future, checked against the clock at
      every use (as PyJWT does: valid while ``now < exp``); once it is not, the entry is
      dropped and the token decoded again, which refuses it ("token expired");
    - an entry serves for ``max_age`` seconds at most, then the token is decoded again;
    - another secret (a rotated ``DATAPACT_SECRET_KEY``) or another API finds no entry;
    - at most ``size`` entries, the least recently used dropped first; tokens longer than
      :data:`VERIFIED_TOKEN_MAX_CHARS` are not kept.

    The principal handed out is immutable, the same object for every use of the token.
    Thread-safe: ``Auth`` also runs in request threads.
    """

    def __init__(
        self,
        size: int = VERIFIED_TOKENS,
        max_age: float = VERIFIED_TOKEN_SECONDS,
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if size < 1 or max_age <= 0:
            raise ValueError("the cache needs a size of at least 1 and a positive max_age")
        self.size = size
        self.max_age = max_age
        self._clock = clock
        self._monotonic = monotonic
        self._entries: OrderedDict[tuple[str, str, str], _Verified] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def decode(self, secret: str, token: str, api: Service) -> Principal:
        """:func:`decode_token`, from the cache when this token was verified before."""
        key = (api.value, secret, token)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                if self._clock() < entry.exp and self._monotonic() < entry.kept_until:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return entry.principal
                del self._entries[key]
            self.misses += 1
        principal, exp = _verify(secret, token, api)  # raises: nothing is kept
        if len(token) <= VERIFIED_TOKEN_MAX_CHARS:
            with self._lock:
                self._entries[key] = _Verified(principal, exp, self._monotonic() + self.max_age)
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return principal

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _audience_of(token: str) -> str:
    """The (already signature-checked) token's ``aud``, shortened, for the 401's reason."""
    aud = jwt.decode(token, options={"verify_signature": False}).get("aud")
    return repr(aud)[:200]


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
    _check_audience(claims)
    unknown = sorted(set(claims.get("scopes") or ()) - {s.value for s in Scope})
    if unknown:
        raise ValueError(f"unknown scope(s) {unknown}")
    for name in ("iat", "exp"):
        value = claims.get(name)
        if type(value) is not int:  # bool is an int subclass, a string "9999999999" is not one
            raise ValueError(f"'{name}' must be an integer (seconds since the epoch)")
    if claims["exp"] - claims["iat"] > MAX_TTL.total_seconds() + 86400:
        raise ValueError(f"the token lives longer than {MAX_TTL.days} days")


def _check_audience(claims: Mapping[str, Any]) -> None:
    """A service token is for exactly one API; a user token may not carry the service scope."""
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud
    if not isinstance(audiences, list) or not audiences:
        raise ValueError("'aud' must be a string or a non-empty list of strings")
    if not all(isinstance(a, str) and 0 < len(a) <= MAX_NAME_CHARS for a in audiences):
        raise ValueError("'aud' must hold non-empty strings")
    is_service = Scope.SERVICE in (claims.get("scopes") or ())
    if is_service != str(claims["sub"]).startswith(SERVICE_SUBJECT_PREFIX):
        raise ValueError("the 'service' scope and a 'service:' subject go together")
    if is_service and (len(audiences) != 1 or PLATFORM_AUDIENCE in audiences):
        raise ValueError("a service token is for exactly one API, not the whole platform")


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
