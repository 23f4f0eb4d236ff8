"""Compliance bodies."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from contract_service.compliance.models import ComplianceCheck
from contract_service.compliance.visibility import masked_check
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.exceptions import InvalidRequestError
from datapact_common.json_safety import ensure_json_safe
from datapact_common.timeutil import utcnow

# Clocks drift; a result from further in the future than this is refused.
MAX_CLOCK_SKEW = timedelta(minutes=5)


class ComplianceCheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    check_type: CheckType
    status: CheckStatus
    details: dict[str, Any] = Field(default_factory=dict)
    error_message: str | None = Field(default=None, max_length=20_000)
    checked_at: AwareDatetime | None = Field(
        default=None, description="when the check ran (UTC offset required); default now"
    )
    contract_version: str | None = Field(
        default=None, max_length=50, description="version checked; default the current one"
    )
    rule: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="the rule a per-rule result judges, e.g. 'price:min' (validity results)",
    )

    @field_validator("details")
    @classmethod
    def _storable(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            ensure_json_safe(value, root="details")
        except InvalidRequestError as exc:
            raise ValueError(exc.detail) from exc
        return value

    @field_validator("error_message", "contract_version", "rule")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ensure_json_safe(value)
            except InvalidRequestError as exc:
                raise ValueError(exc.detail) from exc
        return value

    @field_validator("checked_at")
    @classmethod
    def _not_in_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value > utcnow() + MAX_CLOCK_SKEW:
            raise ValueError("checked_at lies in the future")
        return value


MAX_BATCH_RESULTS = 1000


class BatchResultIn(ComplianceCheckIn):
    contract_id: uuid.UUID


class ComplianceBatchIn(BaseModel):
    """Results of one sweep; the same ``sweep_id`` posted again records nothing twice."""

    model_config = ConfigDict(extra="forbid")

    sweep_id: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="the sweep's id: a result is recorded once per (sweep, contract, type, rule)",
    )
    results: list[BatchResultIn] = Field(min_length=1, max_length=MAX_BATCH_RESULTS)


class ComplianceBatchOut(BaseModel):
    sweep_id: str
    recorded: int = Field(description="results stored by this request")
    duplicates: int = Field(description="results this sweep had already recorded")
    unknown_contracts: list[uuid.UUID] = Field(
        description="contracts that do not exist (their results are not recorded)"
    )


class ComplianceCheckOut(BaseModel):
    id: uuid.UUID
    contract_id: uuid.UUID
    contract_version: str | None
    check_type: str
    rule: str | None
    status: str
    details: dict[str, Any]
    error_message: str | None
    checked_at: datetime
    recorded_at: datetime
    recorded_by: str | None

    @classmethod
    def of(cls, row: ComplianceCheck, detailed: bool = True) -> ComplianceCheckOut:
        """``detailed=False``: a check that could not reach the data service does not say
        why (compliance.visibility)."""
        error_message, details = row.error_message, row.details
        if not detailed:
            error_message, details = masked_check(
                row.check_type, row.status, error_message, details
            )
        return cls(
            id=row.id,
            contract_id=row.contract_id,
            contract_version=row.contract_version,
            check_type=row.check_type,
            rule=row.rule or None,
            status=row.status,
            details=details,
            error_message=error_message,
            checked_at=row.checked_at,
            recorded_at=row.recorded_at,
            recorded_by=row.recorded_by,
        )


class ComplianceCheckList(BaseModel):
    checks: list[ComplianceCheckOut]
    total: int
    skip: int
    limit: int


class ContractCompliance(BaseModel):
    contract_id: uuid.UUID
    contract_name: str
    version: str
    team: str
    contract_status: str
    status: str = Field(description="worst latest status: fail > error > warning > pass; unknown")
    checks: dict[str, Any]


class ComplianceSummaryOut(BaseModel):
    totals: dict[str, int] = Field(description="contracts per overall status, and 'contracts'")
    by_check_type: dict[str, dict[str, int]]
    contracts: list[ContractCompliance]
    total: int = Field(description="contracts matching the filters")
    skip: int
    limit: int


class TrendPoint(BaseModel):
    date: date
    total: int
    passed: int
    failed: int
    warnings: int
    errors: int
    pass_rate: float | None = Field(description="passed / total; null on a day without checks")


class ComplianceTrend(BaseModel):
    days: int
    check_type: str | None
    contract_id: uuid.UUID | None
    points: list[TrendPoint]
