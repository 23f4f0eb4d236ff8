"""Validity: each value rule of a contract, judged on the data service's ``checks[]``.

Protocol 2 (``/metrics`` says ``"protocol": 2``) reports, per promise, how many rows break
it and up to 5 sample primary keys. Each value rule of the contract — ``min``, ``max``,
``min_length``, ``max_length``, ``regex``, ``enum``, ``expression`` and foreign keys — becomes
one result (``rule`` = the check's ``id``): ``fail`` with the count when rows break it,
``pass`` when none do, ``error`` when it could not be counted. ``not_null`` and ``unique``
are judged by the completeness and uniqueness checks.

Each ODCS quality rule (a field's or the contract's ``quality_rules``: a library metric or
a sql query with one threshold) is one result too, judged on the check's ``passed`` and
``measured``: "`code`: nullValues 3 rows, expected = 0".

A protocol-1 service has no ``checks``: its value rules are ``error`` ("not checked"),
never a pass. A rule the service skips (a foreign key into a table it does not serve) is
not judged here and gets no result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compliance_monitor.checks.base import CheckResult
from compliance_monitor.checks.quality_common import number
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.contract_schema import ContractDefinition
from datapact_common.quality_rules import QualityRule, RuleType, RuleUnit
from datapact_common.timeutil import utcnow

MAX_SAMPLES = 5
MAX_SAMPLE_CHARS = 100
MAX_VALUE_CHARS = 200

_BROKEN = {
    "min": "below min",
    "max": "above max",
    "min_length": "shorter than min_length",
    "max_length": "longer than max_length",
    "regex": "not matching regex",
    "enum": "not in enum",
    "expression": "where this is false:",
    "foreign_key": "without a match in",
}


TABLE_SUBJECT = "(table)"  # the agent's subject of a contract-level check


@dataclass(frozen=True)
class ValueRule:
    """One value promise of a contract, named as protocol 2 names it."""

    id: str
    field: str
    rule: str
    value: Any
    quality: QualityRule | None = None

    @property
    def fields(self) -> list[str]:
        return [] if self.field == TABLE_SUBJECT else [self.field]

    def promise(self) -> str:
        if self.quality is not None:
            return f"{_quality_label(self.quality)} {self.quality.expectation()}"
        value = self.value if isinstance(self.value, str) else repr(self.value)
        return f"{self.rule} {value[:MAX_VALUE_CHARS]}"

    def judged(self, measured: float) -> str:
        """ "`code`: nullValues 3 rows, expected = 0"."""
        assert self.quality is not None
        unit = "%" if self.quality.unit is RuleUnit.PERCENT else " rows"
        if self.quality.type is RuleType.SQL:
            unit = ""
        number = int(measured) if float(measured).is_integer() else measured
        subject = "table" if self.field == TABLE_SUBJECT else f"`{self.field}`"
        verb = " returned" if self.quality.type is RuleType.SQL else ""
        return (
            f"{subject}: {_quality_label(self.quality)}{verb} {number}{unit}, expected "
            f"{self.quality.expectation()}"
        )

    def breaking(self, rows: int) -> str:
        """ "`weight_kg`: 12 rows below min 0"."""
        value = self.value if isinstance(self.value, str) else repr(self.value)
        noun = "row" if rows == 1 else "rows"
        return f"`{self.field}`: {rows} {noun} {_BROKEN[self.rule]} {value[:MAX_VALUE_CHARS]}"


def value_rules(contract: ContractDefinition) -> list[ValueRule]:
    """The contract's value rules in contract order (ids as the data agent gives them)."""
    rules: list[ValueRule] = []
    for field in contract.schema_fields:
        expressions = 0
        for constraint in field.constraints:
            kind = str(constraint.type)
            if kind == "expression":
                rule_id = f"{field.name}:expression:{expressions}"
                expressions += 1
            else:
                rule_id = f"{field.name}:{kind}"
            rules.append(ValueRule(rule_id, field.name, kind, constraint.value))
        if field.foreign_key_reference:
            rules.append(
                ValueRule(
                    f"{field.name}:foreign_key", field.name, "foreign_key",
                    field.foreign_key_reference,
                )
            )  # fmt: skip
        for index, quality in enumerate(field.quality_rules):
            rules.append(_quality_rule(field.name, index, quality))
    for index, quality in enumerate(contract.quality_rules):
        rules.append(_quality_rule(TABLE_SUBJECT, index, quality))
    return rules


def _quality_rule(subject: str, index: int, quality: QualityRule) -> ValueRule:
    return ValueRule(f"{subject}:quality:{index}", subject, "quality", quality.to_odcs(), quality)


def _quality_label(quality: QualityRule) -> str:
    label = quality.name or ("sql query" if quality.type is RuleType.SQL else str(quality.metric))
    return label[:MAX_VALUE_CHARS]


def protocol_of(document: Mapping[str, Any]) -> int:
    """The protocol a ``/metrics`` document speaks: 1 without a ``protocol`` key."""
    value = document.get("protocol")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1


def check_rules(
    contract: ContractDefinition, dataset: Mapping[str, Any], protocol: int
) -> list[CheckResult]:
    """One result per value rule; all stamped with one time (one observation)."""
    rules = value_rules(contract)
    now = utcnow()
    if protocol < 2:
        return [_not_checked(rule, now, "the data service speaks protocol 1") for rule in rules]
    entries = dataset.get("checks")
    by_id = {
        str(entry.get("id")): entry
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, Mapping)
    }
    results = []
    for rule in rules:
        result = _judge(rule, by_id.get(rule.id), dataset, now)
        if result is not None:
            results.append(result)
    return results


def _details(rule: ValueRule, **found: Any) -> dict[str, Any]:
    return {
        "field": rule.field,
        "rule": rule.rule,
        "rule_id": rule.id,
        "value": rule.value,
        "expected": f"no row breaks {rule.promise()}",
        **found,
    }


def _not_checked(rule: ValueRule, now: Any, why: str) -> CheckResult:
    message = f"`{rule.field}`: {rule.promise()} not checked ({why})"
    details = _details(rule, found="not checked", violations=None, error=message)
    return CheckResult(CheckType.VALIDITY, CheckStatus.ERROR, message, details, [], now, rule.id)


def _judge(
    rule: ValueRule, entry: Mapping[str, Any] | None, dataset: Mapping[str, Any], now: Any
) -> CheckResult | None:
    if entry is None:
        return _not_checked(rule, now, "the data service did not report it")
    if entry.get("skipped"):
        return None
    if rule.quality is not None:
        return _judge_quality(rule, entry, dataset, now)
    error = entry.get("error")
    violations = number(entry.get("violations"))
    if error or violations is None or violations < 0 or violations != int(violations):
        why = str(error)[:500] if error else "no violation count"
        return _not_checked(rule, now, f"could not be counted: {why}")
    rows = int(violations)
    details = _details(
        rule,
        violations=rows,
        row_count=dataset.get("row_count")
        if number(dataset.get("row_count")) is not None
        else None,
        samples=_samples(entry.get("samples"), dataset.get("sample_key")),
        sample_key=_key(dataset.get("sample_key")),
    )
    if rows == 0:
        details["found"] = "no row breaks it"
        summary = f"`{rule.field}`: {rule.promise()} kept"
        return CheckResult(CheckType.VALIDITY, CheckStatus.PASS, summary, details, [], now, rule.id)
    summary = rule.breaking(rows)
    details["found"] = summary
    return CheckResult(
        CheckType.VALIDITY, CheckStatus.FAIL, summary, details, [rule.field], now, rule.id
    )


def _judge_quality(
    rule: ValueRule, entry: Mapping[str, Any], dataset: Mapping[str, Any], now: Any
) -> CheckResult:
    """A quality rule: its number against its threshold, as the data service judged it."""
    error = entry.get("error")
    measured = number(entry.get("measured"))
    passed = entry.get("passed")
    if error or measured is None or not isinstance(passed, bool):
        why = str(error)[:500] if error else "no measured value"
        return _not_checked(rule, now, f"could not be measured: {why}")
    summary = rule.judged(measured)
    details = _details(
        rule,
        measured=measured,
        found=summary,
        row_count=dataset.get("row_count")
        if number(dataset.get("row_count")) is not None
        else None,
    )
    details["expected"] = rule.promise()
    if passed:
        return CheckResult(CheckType.VALIDITY, CheckStatus.PASS, summary, details, [], now, rule.id)
    return CheckResult(
        CheckType.VALIDITY, CheckStatus.FAIL, summary, details, rule.fields, now, rule.id
    )


def _key(raw: Any) -> list[str] | None:
    if not isinstance(raw, list) or not all(isinstance(k, str) for k in raw):
        return None
    return [k[:MAX_SAMPLE_CHARS] for k in raw[:8]]


def _samples(raw: Any, sample_key: Any) -> list[dict[str, Any]] | None:
    """Up to 5 samples, primary-key columns only, scalar values (nothing else is kept);
    none without a ``sample_key`` saying which columns they are."""
    key = _key(sample_key)
    if not isinstance(raw, list) or not key:
        return None
    samples = []
    for sample in raw[:MAX_SAMPLES]:
        if not isinstance(sample, Mapping):
            continue
        kept = {
            str(name)[:MAX_SAMPLE_CHARS]: _scalar(value)
            for name, value in sample.items()
            if name in key
        }
        if kept:
            samples.append(dict(list(kept.items())[:8]))
    return samples or None


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:MAX_SAMPLE_CHARS]
