"""Signed links sent by e-mail: whoever holds one reads that address's mail.

A link is an HS256 JWT signed with a key derived from ``DATAPACT_SECRET_KEY`` for links
alone, so no API token verifies as a link and no link as an API token, whatever their
claims. Each names one purpose (its audience), one address (``sub``) and expires. Links are
put into an e-mail when it is sent (``rendering/links.py``) and never stored: the
notification history, which others may read, holds the message without them.

The dashboard passes a link back in the ``X-DataPact-Link`` header.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import quote

import jwt

from datapact_common.exceptions import AuthenticationError
from datapact_common.timeutil import utcnow

HEADER = "X-DataPact-Link"
ISSUER = "datapact-notification-links"
ALGORITHM = "HS256"
_KEY_LABEL = b"datapact notification links v1"


class Purpose(StrEnum):
    # In every e-mail: see and change that address's preferences.
    PREFERENCES = "preferences"
    # In the confirmation e-mail: see, confirm or remove the watchers of that address.
    WATCHERS = "watchers"


@dataclass(frozen=True)
class Link:
    purpose: Purpose
    address: str
    expires_at: datetime


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _KEY_LABEL, hashlib.sha256).digest()


def sign(secret: str, purpose: Purpose, address: str, ttl: timedelta) -> str:
    now = utcnow()
    claims = {
        "iss": ISSUER,
        "aud": purpose.value,
        "sub": address,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    return jwt.encode(claims, _key(secret), algorithm=ALGORITHM)


def verify(secret: str, token: str) -> Link:
    """The link's purpose and address; :class:`AuthenticationError` naming what is wrong."""
    try:
        claims = jwt.decode(
            token,
            _key(secret),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            audience=[p.value for p in Purpose],
            options={"require": ["iss", "aud", "sub", "exp"]},
        )
    except jwt.ExpiredSignatureError:
        raise AuthenticationError(
            "this link has expired; use the link of a newer DataPact e-mail or a token"
        ) from None
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(f"invalid link: {exc}") from None
    audience, address = claims["aud"], claims["sub"]
    if not isinstance(audience, str) or not isinstance(address, str):
        raise AuthenticationError("invalid link: audience and subject must be strings")
    return Link(
        purpose=Purpose(audience),
        address=address,
        expires_at=datetime.fromtimestamp(int(claims["exp"]), tz=utcnow().tzinfo),
    )


def dashboard_url(dashboard: str, purpose: Purpose, address: str, token: str) -> str:
    """Where the e-mail points: the dashboard's settings for that address. The link rides in
    the fragment, which browsers send to no server (no access log, no Referer)."""
    return f"{dashboard}/settings?email={quote(address, safe='@')}#{purpose.value}={token}"
