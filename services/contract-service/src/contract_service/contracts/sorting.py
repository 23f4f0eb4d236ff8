"""The orders the contract list can be read in (`sort`, `order`): a fixed set, ties by name.

`name` is unique, so every order is total and skip/limit pages neither repeat nor drop a
contract while nothing changes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Numeric, SQLColumnExpression, case, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement, UnaryExpression

from contract_service.contracts.models import Contract


class ContractSort(StrEnum):
    NAME = "name"
    TEAM = "team"
    STATUS = "status"
    VERSION = "version"
    COMPLIANCE = "compliance"
    FIELDS = "fields"
    UPDATED = "updated"


class SortOrder(StrEnum):
    ASC = "asc"
    DESC = "desc"


def _compliance_rank() -> ColumnElement[int]:
    """The overall compliance status as a rank, worst first: fail, error, warning, unknown
    (no known result), pass; the same worst-of rule as `compliance.summary.overall_status`."""
    checks = func.jsonb_each(Contract.compliance).table_valued("value")
    rank = case(
        {"fail": 0, "error": 1, "warning": 2, "pass": 4}, value=checks.c.value.op("->>")("status")
    )
    worst = select(func.min(rank)).select_from(checks).scalar_subquery()
    return func.coalesce(worst, 3)


_KEYS: dict[ContractSort, SQLColumnExpression[Any]] = {
    ContractSort.NAME: Contract.name,
    ContractSort.TEAM: Contract.publisher_team,
    ContractSort.STATUS: Contract.status,
    # versions are strict MAJOR.MINOR.PATCH (SEMVER_PATTERN): numeric parts compare semantically
    ContractSort.VERSION: func.string_to_array(Contract.version, ".").cast(ARRAY(Numeric)),
    ContractSort.COMPLIANCE: _compliance_rank(),
    ContractSort.FIELDS: func.jsonb_array_length(Contract.document["schema"]),
    ContractSort.UPDATED: Contract.updated_at,
}


def order_by(sort: ContractSort, order: SortOrder) -> list[UnaryExpression[Any]]:
    key = _KEYS[sort]
    first = key.desc() if order is SortOrder.DESC else key.asc()
    if sort is ContractSort.NAME:
        return [first]
    return [first, Contract.name.asc()]
