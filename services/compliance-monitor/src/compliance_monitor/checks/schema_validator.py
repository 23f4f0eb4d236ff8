"""Schema check: the contract's table, matched column by column against ``/schema``.

Errors (the check fails): the table is missing, a contract field has no column, a column's
type is not one the field's data type accepts, a NOT NULL field is nullable in the database,
the primary key differs. Warnings: columns the contract does not document, a declared
foreign key or uniqueness that the database does not enforce, a primary key the contract
does not mention.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from compliance_monitor.checks.base import CheckResult
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.contract_schema import ContractDefinition, ContractField
from datapact_common.pg_types import accepted_types, parse_pg_type, type_matches

ERROR = "error"
WARNING = "warning"


@dataclass
class _Finding:
    field: str | None
    severity: str
    problem: str
    expected: str
    found: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "problem": self.problem,
            "severity": self.severity,
            "expected": self.expected,
            "found": self.found,
            "message": self.message,
        }


@dataclass
class _Findings:
    items: list[_Finding] = field(default_factory=list)

    def add(self, field_name: str | None, severity: str, problem: str, **text: str) -> None:
        self.items.append(_Finding(field_name, severity, problem, **text))

    def messages(self, severity: str) -> list[str]:
        return [f.message for f in self.items if f.severity == severity]

    def per_field(self) -> dict[str, dict[str, Any]]:
        fields: dict[str, dict[str, Any]] = {}
        for finding in self.items:
            if finding.field is None:
                continue
            entry = fields.setdefault(finding.field, {"status": "warning", "problems": []})
            entry["problems"].append(finding.as_dict())
            if finding.severity == ERROR:
                entry["status"] = "fail"
        return fields


def find_table(tables: Mapping[str, Any], name: str) -> tuple[str, Mapping[str, Any]] | None:
    """Look a table up as the contract names it, with or without the ``public.`` schema."""
    candidates = [name]
    if name.startswith("public."):
        candidates.append(name.removeprefix("public."))
    elif "." not in name:
        candidates.append(f"public.{name}")
    for candidate in candidates:
        table = tables.get(candidate)
        if isinstance(table, Mapping):
            return candidate, table
    return None


def check_schema(
    contract: ContractDefinition,
    actual_schema: Mapping[str, Any],
    table_of_contract: Mapping[str, str] | None = None,
) -> CheckResult:
    """Compare a contract with a data service's ``/schema`` document.

    ``table_of_contract`` maps contract names to their tables, so a field's
    ``foreign_key_reference`` (``contract.field``) can be matched to a database foreign key.
    """
    table_name = contract.effective_table
    tables = actual_schema.get("tables")
    if not isinstance(tables, Mapping):
        return CheckResult(
            CheckType.SCHEMA,
            CheckStatus.ERROR,
            "the data service's /schema has no 'tables' object",
            {"table": table_name, "error": "malformed /schema response"},
        )
    located = find_table(tables, table_name)
    if located is None:
        message = f"table '{table_name}' does not exist in the data service"
        return CheckResult(
            CheckType.SCHEMA,
            CheckStatus.FAIL,
            message,
            {
                "table": table_name,
                "errors": [message],
                "warnings": [],
                "expected": {"table": table_name},
                "found": {"tables": sorted(str(t) for t in tables)[:200]},
                "fields": {},
            },
            fields=contract.field_names,
        )
    _, table = located
    malformed = _malformed(table)
    if malformed is not None:
        message = f"the data service's /schema is malformed for table '{table_name}': {malformed}"
        return CheckResult(
            CheckType.SCHEMA,
            CheckStatus.ERROR,
            message,
            {"table": table_name, "error": message},
        )
    columns = _columns_by_name(table)
    findings = _Findings()
    for contract_field in contract.schema_fields:
        column = columns.get(contract_field.name)
        if column is None:
            findings.add(
                contract_field.name,
                ERROR,
                "missing_column",
                expected=f"column '{contract_field.name}' ({contract_field.data_type})",
                found="no such column",
                message=f"column '{contract_field.name}' is missing from table '{table_name}'",
            )
            continue
        _check_column(contract_field, column, findings, file_backed=table.get("kind") == "file")
    if table.get("kind") != "file":  # a data file declares no keys (duplicates are counted)
        _check_primary_key(contract, table, columns, findings)
    _check_uniques(contract, table, findings)
    _check_foreign_keys(contract, table, table_of_contract or {}, findings)
    documented = set(contract.field_names)
    for name in columns:
        if name not in documented:
            findings.add(
                name,
                WARNING,
                "undocumented_column",
                expected="not in the contract",
                found=f"column '{name}' ({columns[name].get('type')})",
                message=f"column '{name}' of table '{table_name}' is not documented "
                "in the contract",
            )
    return _result(contract, table_name, findings)


def _malformed(table: Mapping[str, Any]) -> str | None:
    """What makes a table entry unreadable (None: it follows the protocol).

    Junk must be an ``error`` (could not check), never a ``fail`` that alerts people about
    drift the database does not have.
    """
    columns = table.get("columns")
    if not isinstance(columns, list):
        return "'columns' is not a list"
    for index, column in enumerate(columns):
        if not isinstance(column, Mapping):
            return f"column #{index + 1} is not an object"
        name = column.get("name")
        if not isinstance(name, str) or not name:
            return f"column #{index + 1} has no name"
        if not isinstance(column.get("type"), str):
            return f"column '{name}' has no type"
        if not isinstance(column.get("nullable", True), bool):
            return f"column '{name}': 'nullable' is not true or false"
    for key in ("primary_key", "foreign_keys", "unique"):
        value = table.get(key)
        if value is not None and not isinstance(value, list):
            return f"'{key}' is not a list"
    primary = table.get("primary_key")
    if isinstance(primary, list) and not all(isinstance(c, str) for c in primary):
        return "'primary_key' is not a list of column names"
    return None


def _columns_by_name(table: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    columns = table.get("columns")
    if not isinstance(columns, list):
        return {}
    return {
        str(c["name"]): c
        for c in columns
        if isinstance(c, Mapping) and isinstance(c.get("name"), str)
    }


def _check_column(
    contract_field: ContractField,
    column: Mapping[str, Any],
    findings: _Findings,
    *,
    file_backed: bool = False,
) -> None:
    name = contract_field.name
    raw_type = str(column.get("type", ""))
    base_type = column.get("base_type")
    if isinstance(base_type, str) and base_type and base_type.lower() != raw_type.lower():
        raw_type = f"{raw_type} (base type {base_type})"  # a domain, an enum, another engine
        parsed = parse_pg_type(base_type)
    else:
        parsed = parse_pg_type(raw_type)
    if not type_matches(contract_field.data_type, parsed):
        findings.add(
            name,
            ERROR,
            "type_mismatch",
            expected=f"{contract_field.data_type} ({accepted_types(contract_field.data_type)})",
            found=raw_type or "(no type reported)",
            message=f"column '{name}' has type {raw_type or '(unknown)'}; the contract's "
            f"'{contract_field.data_type}' needs {accepted_types(contract_field.data_type)}",
        )
    nullable = column.get("nullable", True) is not False
    # A data file (the agent's `kind: file`: Parquet, CSV) declares no NOT NULL at all; the
    # promise is judged on the data instead (the agent's not_null count), not here.
    if not contract_field.nullable and nullable and not file_backed:
        findings.add(
            name,
            ERROR,
            "nullable",
            expected="NOT NULL",
            found="nullable",
            message=f"column '{name}' is nullable but the contract promises NOT NULL",
        )


def _check_primary_key(
    contract: ContractDefinition,
    table: Mapping[str, Any],
    columns: Mapping[str, Mapping[str, Any]],
    findings: _Findings,
) -> None:
    expected = [f.name for f in contract.schema_fields if f.is_primary_key]
    actual = table.get("primary_key")
    if not isinstance(actual, list):
        actual = [name for name, col in columns.items() if col.get("primary_key")]
    actual = [str(c) for c in actual]
    if not expected:
        if actual:
            findings.add(
                None,
                WARNING,
                "undocumented_primary_key",
                expected="no primary key in the contract",
                found=f"primary key ({', '.join(actual)})",
                message=f"the table's primary key ({', '.join(actual)}) is not declared "
                "in the contract",
            )
        return
    if sorted(expected) == sorted(actual):
        return
    found = f"({', '.join(actual)})" if actual else "no primary key"
    message = f"primary key should be ({', '.join(expected)}), found {found}"
    for name in sorted(set(expected) ^ set(actual)):
        findings.add(
            name,
            ERROR,
            "primary_key",
            expected=f"primary key ({', '.join(expected)})",
            found=found,
            message=message,
        )


def _unique_sets(table: Mapping[str, Any]) -> list[frozenset[str]]:
    sets: list[frozenset[str]] = []
    for group in table.get("unique") or []:
        if isinstance(group, list):
            sets.append(frozenset(str(c) for c in group))
    primary = table.get("primary_key")
    if isinstance(primary, list) and primary:
        sets.append(frozenset(str(c) for c in primary))
    return sets


def _check_uniques(contract: ContractDefinition, table: Mapping[str, Any], f: _Findings) -> None:
    enforced = _unique_sets(table)
    for contract_field in contract.schema_fields:
        if not contract_field.unique or contract_field.is_primary_key:
            continue
        if frozenset({contract_field.name}) in enforced:
            continue
        f.add(
            contract_field.name,
            WARNING,
            "unique_not_enforced",
            expected="a unique constraint or index on this column",
            found="none",
            message=f"column '{contract_field.name}' is declared unique but the database "
            "does not enforce it",
        )


def _check_foreign_keys(
    contract: ContractDefinition,
    table: Mapping[str, Any],
    table_of_contract: Mapping[str, str],
    findings: _Findings,
) -> None:
    declared: set[tuple[str, str]] = set()
    for fk in table.get("foreign_keys") or []:
        if isinstance(fk, Mapping) and isinstance(fk.get("columns"), list):
            columns = [str(c) for c in fk["columns"]]
            if len(columns) == 1:
                declared.add((columns[0], str(fk.get("references", ""))))
    for contract_field in contract.schema_fields:
        reference = contract_field.foreign_key_reference
        if not reference:
            continue
        target_contract, target_field = reference.split(".", 1)
        target_table = table_of_contract.get(target_contract)
        if target_table is None:
            continue  # the referenced contract is not known here: nothing to compare with
        wanted = {f"{target_table}.{target_field}", f"public.{target_table}.{target_field}"}
        if any(col == contract_field.name and ref in wanted for col, ref in declared):
            continue
        findings.add(
            contract_field.name,
            WARNING,
            "foreign_key_not_enforced",
            expected=f"foreign key to {target_table}.{target_field}",
            found="no such foreign key",
            message=f"column '{contract_field.name}' references {reference} in the contract "
            f"but the database has no foreign key to {target_table}.{target_field}",
        )


def _result(contract: ContractDefinition, table_name: str, findings: _Findings) -> CheckResult:
    errors = findings.messages(ERROR)
    warnings = findings.messages(WARNING)
    table_level = [f.as_dict() for f in findings.items if f.field is None]
    details: dict[str, Any] = {
        "table": table_name,
        "errors": errors,
        "warnings": warnings,
        "fields": findings.per_field(),
    }
    if table_level:
        details["table_problems"] = table_level
    failing = sorted({f.field for f in findings.items if f.severity == ERROR and f.field})
    if errors:
        count = len(errors)
        summary = f"{count} schema problem{'s' if count != 1 else ''}: " + "; ".join(errors[:5])
        return CheckResult(CheckType.SCHEMA, CheckStatus.FAIL, summary, details, failing)
    if warnings:
        count = len(warnings)
        summary = f"matches the contract with {count} warning{'s' if count != 1 else ''}: " + (
            "; ".join(warnings[:3])
        )
        return CheckResult(CheckType.SCHEMA, CheckStatus.WARNING, summary, details)
    summary = f"table '{table_name}' matches all {len(contract.schema_fields)} contract fields"
    return CheckResult(CheckType.SCHEMA, CheckStatus.PASS, summary, details)
