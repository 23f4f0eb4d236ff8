"""ODCS schema properties -> DataPact fields.

Natural ODCS keys are authoritative; DataPact's custom properties restore what ODCS cannot
say (the exact type, constraint messages). A ``logicalType`` edited in another tool on a
document DataPact wrote wins over the type DataPact wrote beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from open_data_contract_standard.model import (
    CustomProperty,
    DataQuality,
    SchemaObject,
    SchemaProperty,
)

from datapact_common.contract_schema import ConstraintType, DataType
from datapact_common.odcs import mapping as m
from datapact_common.odcs.types import (
    LOGICAL_TYPES,
    datapact_type,
    sanitize_contract_name,
    sanitize_field_name,
)
from datapact_common.odcs.verbatim import is_enum_rule, read_rule

_SHORTHAND_REF = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$")
_QUALIFIED_REF = re.compile(
    r"^(?:.*\.yaml#)?/?schema/([A-Za-z0-9_-]+)/properties/([A-Za-z0-9_-]+)$"
)


def custom_map(props: list[CustomProperty] | None) -> dict[str, Any]:
    return {p.property: p.value for p in props or [] if p.property}


class FieldReader:
    """Reads the properties of the document's schema objects.

    ``contract_for`` maps a schema object's name to the contract it becomes (for foreign
    keys between objects of one document); ``warn`` collects what was ignored or guessed.
    """

    def __init__(
        self,
        objects: list[SchemaObject],
        contract_for: dict[str, str],
        *,
        from_datapact: bool,
        warn: Callable[[str], None],
    ) -> None:
        self.objects = objects
        self.contract_for = contract_for
        self.from_datapact = from_datapact
        self.warn = warn

    def fields(self, obj: SchemaObject, raw_props: list[Any]) -> list[dict[str, Any]]:
        fields: list[dict[str, Any]] = []
        used: set[str] = set()
        for position, prop in enumerate(obj.properties or []):
            raw = raw_props[position] if position < len(raw_props) else {}
            fields.append(self._field(obj, prop, raw if isinstance(raw, dict) else {}, used))
        return fields

    def _field_name(self, obj: SchemaObject, prop: SchemaProperty, used: set[str]) -> str:
        original = prop.name or ""
        name = sanitize_field_name(original) or "field"
        candidate, n = name, 2
        while candidate in used:
            candidate, n = f"{name}_{n}", n + 1
        used.add(candidate)
        if candidate != original:
            self.warn(f"{obj.name}: property {original!r} imported as '{candidate}'")
        return candidate

    def _field(
        self, obj: SchemaObject, prop: SchemaProperty, raw: dict[str, Any], used: set[str]
    ) -> dict[str, Any]:
        name = self._field_name(obj, prop, used)
        custom = custom_map(prop.customProperties)
        options = prop.logicalTypeOptions or {}
        data_type = self._data_type(obj, name, prop, custom.get(m.DATA_TYPE), options)
        required = prop.required
        unique = prop.unique
        legacy = [key for key in ("isNullable", "isUnique") if isinstance(raw.get(key), bool)]
        if required is None and "isNullable" in legacy:
            required = not raw["isNullable"]
        if unique is None and "isUnique" in legacy:
            unique = raw["isUnique"]
        if legacy:
            self.warn(f"{obj.name}.{name}: ODCS v2 key(s) {', '.join(legacy)} read")
        primary_key = bool(prop.primaryKey)
        nullable = not required
        if primary_key and nullable:
            nullable = False
            self.warn(f"{obj.name}.{name}: primary key read as required (not null)")
        reference = self._reference(obj, name, prop)
        pii = custom.get(m.PII)
        if not isinstance(pii, bool):
            labels = {t.lower() for t in prop.tags or []} | {(prop.classification or "").lower()}
            pii = "pii" in labels
        return {
            "name": name,
            "data_type": data_type.value,
            "description": prop.description,
            "nullable": nullable,
            "is_pii": pii,
            "is_primary_key": primary_key,
            "is_foreign_key": reference is not None,
            "foreign_key_reference": reference,
            "unique": bool(unique),
            "example_value": prop.examples[0] if prop.examples else None,
            "constraints": self._constraints(obj, name, prop, raw, custom.get(m.CONSTRAINTS)),
            "physical_type": self._text(obj, name, "physicalType", prop.physicalType),
            "physical_name": self._text(obj, name, "physicalName", prop.physicalName),
            "classification": self._text(obj, name, "classification", prop.classification),
            "deprecated": self._deprecated(obj, name, prop, custom.get(m.DEPRECATED)),
            "quality_rules": read_rules(
                raw.get("quality"), f"{obj.name}.{name}", field_level=True, warn=self.warn
            ),
        }

    def _deprecated(
        self, obj: SchemaObject, name: str, prop: SchemaProperty, written: Any
    ) -> dict[str, Any] | None:
        """DataPact's deprecation (dates, replacement), else ODCS v3.2's ``deprecated``
        flag as a deprecation without dates."""
        if isinstance(written, dict):
            return written
        if written is not None:
            self.warn(f"{obj.name}.{name}: {m.DEPRECATED} is not an object; not imported")
        return {} if getattr(prop, "deprecated", None) else None

    def _text(self, obj: SchemaObject, name: str, key: str, value: Any) -> str | None:
        if not isinstance(value, str) or not value:
            return None
        if len(value) > 255:
            self.warn(f"{obj.name}.{name}: {key} longer than 255 characters; not imported")
            return None
        return value

    def _data_type(
        self,
        obj: SchemaObject,
        name: str,
        prop: SchemaProperty,
        written: Any,
        options: dict[str, Any],
    ) -> DataType:
        if written in set(DataType):
            exact = DataType(written)
            if prop.logicalType in (None, LOGICAL_TYPES[exact]):
                return exact
            # DataPact wrote the document and another tool changed its logicalType: the
            # edit wins, even over a physicalType that says otherwise.
            edited = datapact_type(prop.logicalType, None, options)
            if edited is not None:
                physical = datapact_type(None, prop.physicalType, {})
                if physical is not None and LOGICAL_TYPES[physical] != prop.logicalType:
                    self.warn(
                        f"{obj.name}.{name}: logicalType {prop.logicalType!r} read as "
                        f"{edited}; physicalType {prop.physicalType!r} says otherwise"
                    )
                return edited
        found = datapact_type(prop.logicalType, prop.physicalType, options)
        if found is None and prop.properties:
            found = DataType.JSON  # a nested object
        if found is None and prop.items is not None:
            found = DataType.ARRAY
        if found is None:
            self.warn(f"{obj.name}.{name}: no type given; read as string")
            return DataType.STRING
        return found

    # -- foreign keys -----------------------------------------------------------------------
    def _reference(self, obj: SchemaObject, name: str, prop: SchemaProperty) -> str | None:
        for relationship in prop.relationships or []:
            if relationship.type not in (None, "foreignKey"):
                continue
            target = relationship.to
            resolved = self._resolve(target) if isinstance(target, str) else None
            if resolved is None:
                self.warn(
                    f"{obj.name}.{name}: relationship to {target!r} is not a single "
                    "'table.column' reference; not imported"
                )
                continue
            return resolved
        return None

    def _resolve(self, target: str) -> str | None:
        shorthand = _SHORTHAND_REF.match(target)
        if shorthand:
            table, column = shorthand.groups()
        else:
            qualified = _QUALIFIED_REF.match(target)
            if not qualified:
                return None
            obj = next((o for o in self.objects if o.id == qualified.group(1)), None)
            props = obj.properties or [] if obj else []
            prop = next((p for p in props if p.id == qualified.group(2)), None)
            if obj is None or prop is None or not obj.name or not prop.name:
                return None
            table, column = obj.name, sanitize_field_name(prop.name)
        contract = self.contract_for.get(table) or sanitize_contract_name(table)
        return f"{contract}.{column}" if contract and column else None

    # -- constraints --------------------------------------------------------------------------
    def _constraints(
        self,
        obj: SchemaObject,
        name: str,
        prop: SchemaProperty,
        raw: dict[str, Any],
        written: Any,
    ) -> list[dict[str, Any]]:
        logical = prop.logicalType or ""
        options = prop.logicalTypeOptions or {}
        option_keys = m.OPTION_KEYS.get(logical, {})
        natural: dict[str, Any] = {
            str(kind): options[key] for kind, key in option_keys.items() if key in options
        }
        natural_kinds = {str(k) for k in option_keys} | {ConstraintType.ENUM.value}
        enum_values, enum_message = _enum(prop.quality, raw.get("enum"))
        if enum_values is not None:
            natural[ConstraintType.ENUM.value] = enum_values
        pattern = natural.get(ConstraintType.REGEX.value)
        if pattern is not None and not _compiles(pattern):
            self.warn(f"{obj.name}.{name}: pattern {pattern!r} is not a valid regex")
            del natural[ConstraintType.REGEX.value]
        bounds = _bounds(name, logical, options)
        for bound in bounds:
            if bound["type"] != ConstraintType.EXPRESSION.value:
                natural.setdefault(bound["type"], bound["value"])
        expressions = [b for b in bounds if b["type"] == ConstraintType.EXPRESSION.value]
        result: list[dict[str, Any]] = []
        for item in written if isinstance(written, list) else []:
            kind = item.get("type") if isinstance(item, dict) else None
            if kind in natural_kinds:
                if kind in natural:
                    result.append({**item, "value": natural.pop(kind)})
                continue  # removed in the ODCS document
            result.append(item)
        for kind, value in natural.items():
            constraint: dict[str, Any] = {"type": kind, "value": value}
            if kind == ConstraintType.ENUM.value and enum_message:
                constraint["message"] = enum_message
            result.append(constraint)
        written_expressions = {
            c.get("value") for c in result if c.get("type") == ConstraintType.EXPRESSION.value
        }
        result.extend(e for e in expressions if e["value"] not in written_expressions)
        return result


def read_rules(
    rules: Any, where: str, *, field_level: bool, warn: Callable[[str], None]
) -> list[dict[str, Any]]:
    """The library and sql rules DataPact runs, as contract documents; a rule it cannot run
    stays in the document as written, with a warning saying why it is not checked."""
    result: list[dict[str, Any]] = []
    for rule in rules if isinstance(rules, list) else []:
        parsed, reason = read_rule(rule, field_level=field_level)
        if parsed is not None:
            result.append(parsed.model_dump(mode="json", by_alias=True))
        elif reason is not None:
            label = rule.get("name") or rule.get("metric") or rule.get("type", "library")
            warn(f"{where}: quality rule {label!r} kept as written but not checked: {reason}")
    return result


def _enum(rules: list[DataQuality] | None, native: Any) -> tuple[list[Any] | None, str | None]:
    """Allowed values: ODCS v3.2's ``enum`` list, else an ``invalidValues`` library rule
    with ``mustBe: 0`` (a tolerance such as ``<= 5 %`` is a quality rule, not an enum)."""
    if isinstance(native, list) and native:
        values = [v.get("value") for v in native if isinstance(v, dict) and "value" in v]
        if values:
            return values, None
    for rule in rules or []:
        dumped = rule.model_dump(exclude_none=True)
        if is_enum_rule(dumped):
            return list(dumped["arguments"]["validValues"]), rule.description
    return None, None


def _compiles(pattern: Any) -> bool:
    try:
        re.compile(pattern)
    except (re.error, TypeError):
        return False
    return True


def _bounds(name: str, logical: str, options: dict[str, Any]) -> list[dict[str, Any]]:
    """Bounds ODCS has and DataPact's min/max cannot say, as constraints of their own."""
    result: list[dict[str, Any]] = []
    if logical == "integer":
        low, high = options.get("exclusiveMinimum"), options.get("exclusiveMaximum")
        if isinstance(low, int) and not isinstance(low, bool) and "minimum" not in options:
            result.append({"type": "min", "value": low + 1})
        if isinstance(high, int) and not isinstance(high, bool) and "maximum" not in options:
            result.append({"type": "max", "value": high - 1})
        return result
    operators = {"exclusiveMinimum": ">", "exclusiveMaximum": "<"}
    if logical in ("date", "timestamp", "time"):
        operators |= {"minimum": ">=", "maximum": "<="}
    if logical not in ("number", "date", "timestamp", "time"):
        return result
    for key, operator in operators.items():
        value = options.get(key)
        if isinstance(value, str):
            result.append({"type": "expression", "value": f"{name} {operator} '{value}'"})
        elif isinstance(value, int | float) and not isinstance(value, bool):
            result.append({"type": "expression", "value": f"{name} {operator} {value}"})
    return result
