"""The write path outside a request (how the GitHub merge-sync calls it from a Celery task)."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from contract_service.contracts.service import ContractService
from contract_service.database import task_session
from datapact_common.exceptions import ConflictError, ContractValidationError, PermissionDeniedError
from datapact_common.tokens import Principal, Scope


async def test_upsert_creates_then_updates_keeping_registered_subscribers(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], sql: Any
) -> None:
    async with task_session() as session:
        created = await ContractService.upsert(session, sample_contract, "github:octo/repo#1")
    assert created.created and created.version_created
    contract_id = created.contract.id
    # a team subscribes through the API; the repository's file knows nothing about it
    response = await client.post(
        f"/api/v1/contracts/{contract_id}/subscribers",
        json={"team": "analytics", "fields_used": ["total", "order_id"]},
        headers={"Authorization": "Bearer " + _admin()},
    )
    assert response.status_code == 201
    merged = copy.deepcopy(sample_contract)
    merged["version"] = "2.0.0"
    merged["schema"] = merged["schema"][:1]  # 'total' removed: breaking, major bump
    async with task_session() as session:
        result = await ContractService.upsert(session, merged, "github:octo/repo#2")
    assert result.version_created and result.report is not None
    assert result.document["version"] == "2.0.0"
    assert result.document["subscribers"] == [
        {"team": "analytics", "use_case": None, "fields_used": ["order_id"], "contact_email": None}
    ]
    removed = next(c for c in result.report.changes if c.kind == "field_removed")
    assert removed.affected_subscribers == ["analytics"]
    assert sql("SELECT changed_by FROM contract_versions ORDER BY created_at") == [
        ("github:octo/repo#1",), ("github:octo/repo#2",),
    ]  # fmt: skip
    [(payload,)] = sql("SELECT envelope->'payload' FROM event_outbox")
    assert payload["changed_by"] == "github:octo/repo#2"
    # the same file again is a no-op
    async with task_session() as session:
        again = await ContractService.upsert(session, merged, "github:octo/repo#3")
    assert not again.changed


async def test_errors_are_domain_exceptions_and_roll_back(
    sample_contract: dict[str, Any], clean_db: str, sql: Any
) -> None:
    async with task_session() as session:
        await ContractService.create(session, sample_contract, "tester")
    too_small = dict(sample_contract, version="1.0.1", schema=sample_contract["schema"][:1])
    with pytest.raises(ConflictError) as conflict:
        async with task_session() as session:
            await ContractService.upsert(session, too_small, "tester")
    assert conflict.value.extra["required_bump"] == "major"
    with pytest.raises(ContractValidationError):
        async with task_session() as session:
            await ContractService.upsert(session, {"name": "x"}, "tester")
    outsider = Principal(
        sub="eve", teams=frozenset({"other"}), scopes=frozenset({Scope.CONTRACTS_WRITE})
    )
    with pytest.raises(PermissionDeniedError):
        async with task_session() as session:
            await ContractService.upsert(
                session, dict(sample_contract, version="1.1.0"), "eve", principal=outsider
            )
    assert sql("SELECT version FROM contracts") == [("1.0.0",)]


def _admin() -> str:
    from datapact_testing.tokens import admin_token

    return admin_token()
