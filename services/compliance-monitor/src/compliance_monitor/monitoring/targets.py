"""A contract under monitoring, as the contract-service listed it."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from pydantic_core import PydanticSerializationError, to_json

from compliance_monitor.checks.rules_checker import value_rules
from compliance_monitor.checks.uniqueness_checker import unique_keys
from compliance_monitor.clients.http import base_url
from datapact_common.checks import CheckType
from datapact_common.contract_schema import ContractDefinition, MetricType
from datapact_common.documents import READ_ONLY_KEYS, parse_contract
from datapact_common.exceptions import ContractValidationError


@dataclass(frozen=True)
class Target:
    id: str
    document: dict[str, Any]
    contract: ContractDefinition | None
    problem: str | None = None

    @property
    def name(self) -> str:
        return self.contract.name if self.contract else str(self.document.get("name", "?"))

    @property
    def endpoint(self) -> str | None:
        if self.contract is None or self.contract.access is None:
            return None
        return base_url(self.contract.access.endpoint_url)

    def last_status(self, check_type: CheckType, rule: str | None = None) -> str | None:
        """The latest recorded status of a check type (or of one of its rules), from the
        listed document."""
        compliance = self.document.get("compliance")
        checks = compliance.get("checks") if isinstance(compliance, dict) else None
        entry = checks.get(check_type.value) if isinstance(checks, dict) else None
        if rule is not None:
            rules = entry.get("rules") if isinstance(entry, dict) else None
            entry = rules.get(rule) if isinstance(rules, dict) else None
        status = entry.get("status") if isinstance(entry, dict) else None
        return status if isinstance(status, str) else None


# Contracts parsed in earlier sweeps, by the text parse_contract validates (the document
# without its read-only keys: ``compliance`` changes with every sweep, the rest only with
# the contract). Parsing is ~1-2.5 ms a 20-field contract, writing the key ~0.01 ms: at
# 10,000 contracts, parsing was a quarter of a schema sweep.
_PARSED: OrderedDict[bytes, ContractDefinition | str] = OrderedDict()
PARSED_MAX = 20_000


def _parsed(document: dict[str, Any]) -> ContractDefinition | str:
    """The contract, or why the document is not one (the message of its validation)."""
    try:
        # pydantic-core writes the key ~8x faster than json.dumps(sort_keys=True) (8.4 % of
        # the monitor's samples at 10,000); the listing's key order is the service's, so an
        # unchanged document writes the same key. NaN and Infinity stay apart from null.
        key: bytes | None = to_json(
            {k: v for k, v in document.items() if k not in READ_ONLY_KEYS},
            inf_nan_mode="constants",
        )
    except (TypeError, ValueError, PydanticSerializationError):
        key = None
    if key is not None and key in _PARSED:
        _PARSED.move_to_end(key)
        return _PARSED[key]
    try:
        parsed: ContractDefinition | str = parse_contract(document)
    except ContractValidationError as exc:
        parsed = str(exc)
    if key is not None:
        _PARSED[key] = parsed
        while len(_PARSED) > PARSED_MAX:
            _PARSED.popitem(last=False)
    return parsed


def to_target(document: dict[str, Any]) -> Target:
    contract_id = str(document.get("id", ""))
    parsed = _parsed(document)
    if isinstance(parsed, str):
        return Target(contract_id, document, None, f"the registered document is invalid: {parsed}")
    return Target(contract_id, document, parsed)


def quality_checks_for(contract: ContractDefinition) -> list[CheckType]:
    """The quality checks a contract promises something for."""
    checks: list[CheckType] = []
    if contract.quality_metric(MetricType.FRESHNESS):
        checks.append(CheckType.FRESHNESS)
    if contract.quality_metric(MetricType.COMPLETENESS) or any(
        not f.nullable for f in contract.schema_fields
    ):
        checks.append(CheckType.COMPLETENESS)
    if unique_keys(contract):
        checks.append(CheckType.UNIQUENESS)
    if contract.quality_metric(MetricType.VOLUME):
        checks.append(CheckType.VOLUME)
    if value_rules(contract):
        checks.append(CheckType.VALIDITY)
    return checks
