"""The signed single-use links that answer a change proposal from its e-mail
(docs/workflow.md, docs/security.md).

A link is an HS256 JWT signed with ``DATAPACT_SECRET_KEY`` for the audience
:data:`AUDIENCE` alone: no DataPact API takes it as a bearer token (they accept only the
platform's and their own audience), and no API token passes as a link. Its claims name the
proposal, the team it answers for, the answer and a unique ``jti`` (the contract-service
records each used ``jti``, so a link works once). It lives until the proposal's notice ends,
at most :data:`MAX_TTL`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

from datapact_common.exceptions import AuthenticationError
from datapact_common.timeutil import utcnow
from datapact_common.tokens import ALGORITHM, ISSUER

AUDIENCE = "datapact:proposal-link"
MAX_TTL = timedelta(days=14)
ANSWERS = ("approved", "objected")
_REQUIRED = ["iss", "iat", "exp", "aud"]  # the rest is checked after the audience


@dataclass(frozen=True)
class ProposalLink:
    proposal_id: uuid.UUID
    team: str
    answer: str
    jti: str
    sub: str


def sign(
    secret: str,
    proposal_id: uuid.UUID,
    team: str,
    answer: str,
    holder: str,
    *,
    until: datetime | None = None,
    now: datetime | None = None,
) -> str:
    """A link answering ``answer`` for ``team`` on one proposal, held by ``holder`` (the
    recipient's address or the team), valid until ``until`` but at most :data:`MAX_TTL`."""
    if answer not in ANSWERS:
        raise ValueError(f"answer must be one of {', '.join(ANSWERS)}")
    issued = now or utcnow()
    expires = issued + MAX_TTL
    if until is not None and until < expires:
        expires = until
    claims: dict[str, Any] = {
        "sub": f"link:{holder}",
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": int(issued.timestamp()),
        "exp": int(expires.timestamp()),
        "jti": uuid.uuid4().hex,
        "proposal": str(proposal_id),
        "team": team,
        "answer": answer,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(secret: str, token: str) -> ProposalLink:
    """The link's claims; 401 with the reason when it is expired, forged, or not a link."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": _REQUIRED},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("this answer link has expired; answer on the dashboard") from exc
    except jwt.InvalidAudienceError as exc:
        raise AuthenticationError(
            f"invalid link: it is not a proposal answer link (audience must be '{AUDIENCE}')"
        ) from exc
    except jwt.PyJWTError as exc:
        raise AuthenticationError(f"invalid link: {exc}") from exc
    for name in ("sub", "jti", "team", "answer", "proposal"):
        value = claims.get(name)
        if not isinstance(value, str) or not value or len(value) > 255:
            raise AuthenticationError(f"invalid link: '{name}' must be a non-empty string")
    if claims["answer"] not in ANSWERS:
        raise AuthenticationError("invalid link: unknown answer")
    try:
        proposal_id = uuid.UUID(claims["proposal"])
    except ValueError as exc:
        raise AuthenticationError("invalid link: 'proposal' is not a proposal id") from exc
    return ProposalLink(
        proposal_id=proposal_id,
        team=claims["team"],
        answer=claims["answer"],
        jti=claims["jti"],
        sub=claims["sub"],
    )
