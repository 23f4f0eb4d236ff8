"""The credential the compliance monitor presents to a data service — never a DataPact token.

A data service is run by a team, and a team can point a contract at a listener of its own,
so whatever the monitor sends there must be worthless anywhere else. By default it sends a
JWT (``Authorization: Bearer …``) that is

- **audience-bound**: ``aud`` is the data service's origin, ``scheme://host:port`` with the
  port always written (``http://data.internal:8443``);
- **short-lived**: ``exp - iat`` is minutes (:data:`DEFAULT_TTL`, at most :data:`MAX_TTL`);
- **signed with a key of its own**: HS256 with ``HMAC-SHA256(DATAPACT_SECRET_KEY,
  "datapact/data-service-credential/v1" + NUL + origin)``. The key is derived per origin and
  for this purpose only, so no DataPact API can even verify the token (they verify with the
  platform secret itself), and a data service given its key can neither verify nor mint a
  token for any other origin.

Its header says ``typ: datapact-data-service+jwt``; its claims are ``iss``
(``datapact-compliance-monitor``), ``sub`` (``compliance-monitor``), ``aud``, ``iat``, ``exp``.

How a data service checks it (any language): take the bearer token, verify HS256 with its
key, require ``iss``, ``aud`` equal to its own origin, ``exp`` in the future and
``exp - iat`` ≤ 15 minutes. The key, for an origin, is printed by::

    DATAPACT_SECRET_KEY=… python -m datapact_common.data_service_credentials http://data.internal:8443

(64 hex digits: the 32 bytes of the HS256 key). DataPact's own data services
(the template, the agent) derive it themselves from their endpoint URL setting.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import jwt

from datapact_common.exceptions import AuthenticationError
from datapact_common.timeutil import utcnow

LABEL = b"datapact/data-service-credential/v1"
ISSUER = "datapact-compliance-monitor"
SUBJECT = "compliance-monitor"
TOKEN_TYPE = "datapact-data-service+jwt"
ALGORITHM = "HS256"
DEFAULT_TTL = timedelta(minutes=5)
MAX_TTL = timedelta(minutes=15)
# Clock difference tolerated between the monitor and a data service.
LEEWAY = timedelta(seconds=30)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> str:
    """``scheme://host:port`` of an http(s) URL, lower-cased, the port always written.

    Raises :class:`ValueError` when ``url`` is not an http(s) URL with a host.
    """
    parts = urlsplit(url.strip())
    host = parts.hostname
    port = parts.port  # ValueError for a port that is not one
    if parts.scheme not in _DEFAULT_PORTS or not host:
        raise ValueError(f"{url!r} is not an http(s) URL with a host")
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host.lower()}:{port or _DEFAULT_PORTS[parts.scheme]}"


def derive_key(secret: str, audience: str) -> bytes:
    """The HS256 key of the credentials for ``audience`` (an origin or any URL of it)."""
    message = LABEL + b"\0" + origin(audience).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def mint(
    secret: str, endpoint_url: str, *, ttl: timedelta = DEFAULT_TTL, now: datetime | None = None
) -> str:
    """A credential for the data service at ``endpoint_url``, valid for ``ttl``."""
    if not timedelta(0) < ttl <= MAX_TTL:
        raise ValueError(f"a data service credential lives more than 0 s and at most {MAX_TTL}")
    audience = origin(endpoint_url)
    issued = int((now or utcnow()).timestamp())
    claims = {
        "iss": ISSUER,
        "sub": SUBJECT,
        "aud": audience,
        "iat": issued,
        "exp": issued + int(ttl.total_seconds()),
    }
    return jwt.encode(
        claims, derive_key(secret, audience), algorithm=ALGORITHM, headers={"typ": TOKEN_TYPE}
    )


def is_credential(token: str) -> bool:
    """True when ``token`` claims (unverified) to be a data service credential."""
    try:
        return jwt.get_unverified_header(token).get("typ") == TOKEN_TYPE
    except jwt.InvalidTokenError:
        return False


@dataclass(frozen=True)
class Credential:
    subject: str
    audience: str
    expires_at: int


def verify(token: str, *, audience: str, key: bytes, now: datetime | None = None) -> Credential:
    """Check a credential presented to the data service at ``audience``.

    Raises :class:`AuthenticationError` with the reason (wrong key or audience, expired,
    living too long, a claim missing or of the wrong type).
    """
    expected = origin(audience)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=expected,
            issuer=ISSUER,
            options={"require": ["iss", "sub", "aud", "iat", "exp"], "verify_exp": False},
        )
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(f"invalid data service credential: {exc}") from exc
    issued, expires = claims["iat"], claims["exp"]
    if type(issued) is not int or type(expires) is not int or not isinstance(claims["sub"], str):
        raise AuthenticationError("invalid data service credential: a claim has the wrong type")
    moment = (now or utcnow()).timestamp()
    leeway = LEEWAY.total_seconds()
    if expires - issued > MAX_TTL.total_seconds():
        raise AuthenticationError("invalid data service credential: it lives too long")
    if moment > expires + leeway or moment < issued - leeway:
        raise AuthenticationError("data service credential expired (or not yet valid)")
    return Credential(claims["sub"], expected, expires)


def main(argv: list[str]) -> int:
    """Print the hex key a data service verifies its credentials with."""
    secret = os.environ.get("DATAPACT_SECRET_KEY", "")
    if len(argv) != 1 or not secret:
        print(
            "usage: DATAPACT_SECRET_KEY=... python -m datapact_common.data_service_credentials "
            "<endpoint origin, e.g. http://data.internal:8443>",
            file=sys.stderr,
        )
        return 2
    try:
        print(derive_key(secret, argv[0]).hex())
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
