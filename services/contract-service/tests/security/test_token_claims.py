"""Hostile tokens: claims of the wrong type are refused with the reason, never coerced."""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt
import pytest

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_testing.tokens import bearer


def forged(**changes: Any) -> dict[str, str]:
    """A publisher token of the team 'commerce', signed with the real secret, some claims
    replaced (``None`` drops one)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "mallory",
        "teams": ["commerce"],
        "scopes": ["contracts:write"],
        "iss": "datapact",
        "aud": ["datapact"],
        "iat": now,
        "exp": now + 600,
    }
    claims.update(changes)
    payload = {k: v for k, v in claims.items() if v is not None}
    return bearer(jwt.encode(payload, DEVELOPMENT_SECRET, algorithm="HS256"))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        # were the teams "None" and "5"
        ({"teams": [None, 5]}, "'teams' must hold non-empty strings"),
        ({"teams": "commerce"}, "'teams' must be a list"),
        ({"scopes": ["contracts:write", "root"]}, "unknown scope(s) ['root']"),
        # were accepted, the last one for ever
        ({"exp": str(int(time.time()) + 600)}, "'exp' must be an integer"),
        ({"exp": None}, 'missing the "exp" claim'),
        ({"sub": " "}, "'sub' must be a non-empty string"),
    ],
)
async def test_a_token_with_bad_claims_is_401_with_the_reason(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], changes: Any, reason: str
) -> None:
    response = await client.post(
        "/api/v1/contracts", json=sample_contract, headers=forged(**changes)
    )
    assert response.status_code == 401
    assert reason in response.json()["detail"]
    assert (await client.get("/api/v1/contracts")).json()["total"] == 0


async def test_the_same_token_with_good_claims_writes(
    client: httpx.AsyncClient, sample_contract: dict[str, Any]
) -> None:
    response = await client.post("/api/v1/contracts", json=sample_contract, headers=forged())
    assert response.status_code == 201, response.text
