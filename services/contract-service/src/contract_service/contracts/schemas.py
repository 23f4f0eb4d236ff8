"""Contract bodies (for the OpenAPI document; responses are served from stored JSON)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from datapact_common.contract_schema import ContractDefinition, ContractField
from datapact_common.web import Issue


class RuleSummary(BaseModel):
    status: str
    checked_at: datetime
    error_message: str | None = None
    field: str | None = None
    rule: str | None = None
    violations: int | None = None


class CheckSummary(BaseModel):
    status: str
    checked_at: datetime
    error_message: str | None = None
    rules: dict[str, RuleSummary] | None = Field(
        default=None,
        description="validity: each value rule of the latest observation, by id ('price:min')",
    )


class ComplianceSummary(BaseModel):
    status: Literal["pass", "fail", "warning", "error", "unknown"]
    checks: dict[str, CheckSummary]


class ContractResponse(ContractDefinition):
    """The stored document plus read-only server keys."""

    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
    compliance: ComplianceSummary


class ContractList(BaseModel):
    contracts: list[ContractResponse]
    total: int
    skip: int
    limit: int
    next_cursor: str | None = None


class ValidationReport(BaseModel):
    valid: bool
    errors: list[Issue]
    warnings: list[Issue]


class FieldList(BaseModel):
    contract_id: uuid.UUID
    name: str
    version: str
    fields: list[ContractField]


class VersionBumpConflict(BaseModel):
    detail: str
    changes: list[dict[str, Any]]
    required_bump: str
    actual_bump: str | None
    current_version: str
    proposed_version: str
