"""Tables of a catalogue → contract drafts, one per table.

Every source (a live database, a DDL file, SQLAlchemy models) is first read into the
engine-neutral catalogue of :mod:`datapact_common.engines.base`; this module alone turns a
catalogue into contracts, so two sources describing one schema give equal contracts.

Column types map as the monitor's type check reads them (:func:`datapact_common.pg_types.
data_type_of`), so a drafted contract passes that check on the database it came from. What
a contract cannot say is left out and reported, naming the table and column: a type no
contract data type holds, a name a contract field cannot have, a composite unique constraint
or foreign key, a CHECK neither a constraint nor a valid expression can express.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from datapact_common.contract_schema import DataType
from datapact_common.documents import parse_contract
from datapact_common.drafting.checks import read_check
from datapact_common.drafting.naming import (
    contract_name,
    is_field_name,
    is_table_name,
    unique_name,
)
from datapact_common.drafting.pii import guess_pii
from datapact_common.engines.base import ColumnInfo, Kind, TableInfo
from datapact_common.exceptions import ContractValidationError
from datapact_common.pg_types import data_type_of

FIRST_VERSION = "1.0.0"
PLACEHOLDER_TEAM = "TODO-team"
PLACEHOLDER_OWNER = "TODO-owner"
REVIEW_KEY = "review"  # metadata.review: what a person must confirm, one line each
MAX_PHYSICAL_TYPE = 255
# Constraint kinds in the order a field lists them (expressions last, by their text).
_DISPLAY_WIDTH = re.compile(r"^(smallint|mediumint|int|integer|bigint|tinyint(?!\(1\)))\(\d+\)")
_ORDER = ["enum", "min", "max", "min_length", "max_length", "regex", "expression"]


@dataclass
class DraftOptions:
    team: str | None = None
    owner: str | None = None
    endpoint_url: str | None = None
    dialect: str = "postgres"  # how the catalogue's CHECK constraints are written


@dataclass
class Draft:
    name: str
    table: str  # as the catalogue names it
    kind: str
    document: dict[str, Any]
    left_out: list[str] = field(default_factory=list)


@dataclass
class DraftSet:
    drafts: list[Draft] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what was skipped, naming the object


def contract_names(tables: Mapping[str, TableInfo]) -> dict[str, str]:
    """A contract name for every table that can have one (stable: tables in name order)."""
    names: dict[str, str] = {}
    for table in sorted(tables):
        name = contract_name(table)
        if name is not None and is_table_name(table):
            names[table] = unique_name(name, set(names.values()))
    return names


def draft_contracts(
    tables: Mapping[str, TableInfo], selected: Sequence[str], options: DraftOptions
) -> DraftSet:
    """One draft per table of ``selected`` (names as ``tables`` has them)."""
    result = DraftSet()
    names = contract_names(tables)
    for table_name in selected:
        table = tables[table_name]
        if table_name not in names:
            result.problems.append(
                f"table '{table_name}': a contract's `table` cannot name it (letters, digits, "
                "_ and $ only); no contract"
            )
            continue
        draft = _draft(table, names, set(selected), options, result.problems)
        if draft is not None:
            result.drafts.append(draft)
    return result


def _draft(
    table: TableInfo,
    names: Mapping[str, str],
    selected: set[str],
    options: DraftOptions,
    problems: list[str],
) -> Draft | None:
    left_out: list[str] = []
    review: list[str] = []
    fields: dict[str, dict[str, Any]] = {}
    for column in table.columns.values():
        doc = _field(table, column, problems)
        if doc is None:
            continue
        named = _user_defined_type(column, options.dialect)
        if named is not None:
            # The database's name for a type it defines is no type another tool can check
            # (information_schema: a domain's base type, USER-DEFINED for an enum).
            kind, base = named
            if base is None:
                doc.pop("physical_type", None)
                left_out.append(
                    f"{column.name}: enum type {column.type} (no physical_type; data_type "
                    "enum and its labels say it)"
                )
            else:
                doc["physical_type"] = base
                left_out.append(f"{column.name}: {kind} {column.type} (physical_type: its base)")
        reason = guess_pii(column.name, table.name)
        if reason is not None:
            doc["is_pii"] = True
            review.append(f"{column.name}: is_pii guessed from its name ({reason}); confirm it")
        fields[column.name] = doc
    if not fields:
        problems.append(f"table '{table.name}': no column could be described; no contract")
        return None
    _keys(table, fields, names, selected, left_out)
    _checks(table, fields, options.dialect, left_out)
    for doc in fields.values():
        if "constraints" in doc:
            doc["constraints"] = sorted(doc["constraints"], key=_constraint_order)
    document = _document(table, names[table.name], list(fields.values()), options, review)
    try:
        parse_contract(document)
    except ContractValidationError as exc:  # never write what validate would refuse
        problems.append(f"table '{table.name}': the draft is not a valid contract: {exc.detail}")
        return None
    return Draft(names[table.name], table.name, table.kind, document, sorted(left_out))


def _field(table: TableInfo, column: ColumnInfo, problems: list[str]) -> dict[str, Any] | None:
    where = f"column '{table.name}.{column.name}'"
    if not is_field_name(column.name):
        problems.append(f"{where}: not a valid field name (letters, digits and _); left out")
        return None
    data_type = data_type_of(column.base_type)
    if data_type is None:
        problems.append(f"{where}: type {column.type} has no contract data type; left out")
        return None
    if data_type is DataType.ENUM and not column.enum_values:
        problems.append(f"{where}: enum type {column.type} has no labels; left out")
        return None
    doc: dict[str, Any] = {"name": column.name, "data_type": str(data_type)}
    physical = physical_type(column.type)
    if physical and len(physical) <= MAX_PHYSICAL_TYPE:
        doc["physical_type"] = physical
    if column.comment and column.comment.strip():
        doc["description"] = column.comment.strip()
    if not column.nullable:
        doc["nullable"] = False
    if data_type is DataType.ENUM and column.enum_values:
        doc["constraints"] = [{"type": "enum", "value": list(column.enum_values)}]
    return doc


def _user_defined_type(column: ColumnInfo, dialect: str) -> tuple[str, str | None] | None:
    """("domain", its base type) or ("enum type", None) for a column whose type the database
    defines (PostgreSQL's ``CREATE DOMAIN``/``CREATE TYPE … AS ENUM``, DuckDB's enum types);
    None for a built-in type (MariaDB's ``enum('a','b')`` is one)."""
    spelled = column.type.strip().lower()
    if column.kind is Kind.ENUM and not spelled.startswith("enum("):
        return "enum type", None
    if dialect == "postgres" and column.base_type != column.type and "[]" not in spelled:
        base = physical_type(column.base_type)
        if base and base.lower() != "enum" and len(base) <= MAX_PHYSICAL_TYPE:
            return "domain", base
    return None


def physical_type(spelled: str) -> str:
    """The type as the database writes it, without MySQL's integer display widths
    (MariaDB's ``int(11)`` is MySQL 8's ``int``; ``tinyint(1)`` keeps its width: BOOLEAN)."""
    return _DISPLAY_WIDTH.sub(r"\1", spelled) if spelled else spelled


def _keys(
    table: TableInfo,
    fields: dict[str, dict[str, Any]],
    names: Mapping[str, str],
    selected: set[str],
    left_out: list[str],
) -> None:
    missing_key = [c for c in table.primary_key if c not in fields]
    if missing_key:
        left_out.append(
            f"primary key ({', '.join(table.primary_key)}): column(s) {', '.join(missing_key)} "
            "left out, so the key is not declared"
        )
    else:
        for column in table.primary_key:
            fields[column]["nullable"] = False
            fields[column]["is_primary_key"] = True
    for columns in table.unique:
        if len(columns) > 1:
            left_out.append(f"UNIQUE ({', '.join(columns)}): a contract declares single fields")
        elif columns[0] in fields and table.primary_key != columns:
            fields[columns[0]]["unique"] = True
    for key in table.foreign_keys:
        target, _, referenced = key.references.rpartition(".")
        shown = f"FOREIGN KEY ({', '.join(key.columns)}) REFERENCES {key.references}"
        if len(key.columns) > 1:
            left_out.append(f"{shown}: a contract declares single-field references")
        elif key.columns[0] not in fields:
            continue
        elif target not in names or not is_field_name(referenced):
            left_out.append(f"{shown}: the referenced table or column cannot have a contract")
        else:
            doc = fields[key.columns[0]]
            doc["is_foreign_key"] = True
            doc["foreign_key_reference"] = f"{names[target]}.{referenced}"
            if target not in selected:
                left_out.append(
                    f"{shown}: kept as {names[target]}.{referenced}; that contract was not "
                    "drafted in this run"
                )


def _checks(
    table: TableInfo, fields: dict[str, dict[str, Any]], dialect: str, left_out: list[str]
) -> None:
    types = {name: DataType(doc["data_type"]) for name, doc in fields.items()}
    for check in table.checks:
        if check.column is not None and check.column not in fields:
            continue
        reading = read_check(check, dialect, types)
        left_out.extend(reading.left_out)
        for name, constraint in reading.constraints:
            problem = _add_constraint(fields[name], constraint)
            if problem:
                left_out.append(f"{name}: {problem}")


def _add_constraint(doc: dict[str, Any], new: dict[str, Any]) -> str | None:
    """Add ``new`` to the field; two bounds of one kind keep the tighter one (both hold)."""
    constraints: list[dict[str, Any]] = doc.setdefault("constraints", [])
    kind, value = new["type"], new["value"]
    same = next((c for c in constraints if c["type"] == kind), None)
    if kind == "expression":
        if same is None or all(c["value"] != value for c in constraints):
            constraints.append(new)
        return None
    if same is None:
        constraints.append(new)
        return None
    if kind in ("min", "min_length"):
        same["value"] = max(same["value"], value)
    elif kind in ("max", "max_length"):
        same["value"] = min(same["value"], value)
    elif kind == "enum":
        kept = [v for v in same["value"] if v in value]
        if not kept:
            return f"two enum lists with no value in common ({same['value']}, {value})"
        same["value"] = kept
    elif same["value"] != value:
        return f"a second {kind} ({value!r}) left out; a field has one"
    return None


def _constraint_order(constraint: dict[str, Any]) -> tuple[int, str]:
    kind = constraint["type"]
    rank = _ORDER.index(kind) if kind in _ORDER else len(_ORDER)
    return rank, str(constraint["value"]) if kind == "expression" else ""


def _document(
    table: TableInfo,
    name: str,
    fields: list[dict[str, Any]],
    options: DraftOptions,
    review: list[str],
) -> dict[str, Any]:
    document: dict[str, Any] = {"name": name, "version": FIRST_VERSION}
    if table.comment and table.comment.strip():
        document["description"] = table.comment.strip()
    document["table"] = table.name
    team, owner = options.team or PLACEHOLDER_TEAM, options.owner or PLACEHOLDER_OWNER
    document["publisher"] = {"team": team, "owner": owner}
    if options.endpoint_url:
        document["access"] = {"endpoint_url": options.endpoint_url}
    document["schema"] = [_ordered(doc) for doc in fields]
    placeholders = [key for key in ("team", "owner") if not getattr(options, key)]
    if placeholders:
        review.insert(0, placeholder_review(placeholders))
    if review:
        document["metadata"] = {REVIEW_KEY: review}
    return document


def placeholder_review(keys: Sequence[str]) -> str:
    """The review line for a publisher left as placeholders (``validate`` reports it)."""
    what = " and ".join(keys)
    verb = "are placeholders" if len(keys) > 1 else "is a placeholder"
    flags = " ".join(f"--{key} {key[0].upper()}" for key in keys)
    return f"publisher: {what} {verb}; set {'them' if len(keys) > 1 else 'it'} ({flags})"


_FIELD_KEYS = [
    "name", "data_type", "physical_type", "description", "nullable", "is_pii", "is_primary_key",
    "unique", "is_foreign_key", "foreign_key_reference", "constraints",
]  # fmt: skip


def _ordered(doc: dict[str, Any]) -> dict[str, Any]:
    return {key: doc[key] for key in _FIELD_KEYS if key in doc}
