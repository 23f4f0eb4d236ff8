"""What of an ODCS document DataPact keeps verbatim, and which of it changed.

An imported document is stored as written (``ContractDefinition.odcs``), minus the keys the
official schema does not know (reported as ignored on import) and DataPact's own
``datapact*`` custom properties (regenerated on export). Parts DataPact models (types,
required, keys, SLAs it measures, the API server...) are classified by the change
classifier through the contract; the rest is compared here, section by section, so that a
change to roles, non-API servers, quality rules or custom properties still shows.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from datapact_common.contract_schema import OdcsSource
from datapact_common.odcs.mapping import DATAPACT_PREFIX, ENUM_METRIC, RULE, SLA_METRIC
from datapact_common.quality_rules import (
    FIELD_METRICS,
    OPERATORS,
    PROPERTY_PLACEHOLDER,
    TABLE_METRICS,
    LibraryMetric,
    QualityRule,
    RuleType,
    parse_rule_query,
)

# Property keys DataPact reads into the field (their changes reach the classifier).
MODELED_PROPERTY_KEYS = frozenset(
    {
        "name", "logicalType", "physicalType", "physicalName", "classification",
        "description", "required", "isNullable", "primaryKey", "primaryKeyPosition",
        "unique", "isUnique", "examples", "enum",
    }
)  # fmt: skip
# logicalTypeOptions DataPact reads into the type or constraints.
MODELED_OPTIONS = frozenset(
    {
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
        "maxLength", "pattern", "format", "timezone",
    }
)  # fmt: skip
_MODELED_DOCUMENT_KEYS = frozenset({"apiVersion", "kind", "id", "version", "status", "tags"})
_MODELED_OBJECT_KEYS = frozenset({"name", "physicalName", "tags", "properties"})


def is_datapact_property(item: Any) -> bool:
    """A ``customProperties`` entry DataPact writes (``datapact*``)."""
    name = item.get("property") if isinstance(item, dict) else None
    return isinstance(name, str) and name.startswith(DATAPACT_PREFIX)


def without_datapact(value: Any) -> Any:
    """A copy of ``value`` without DataPact's custom properties (at any depth) and without
    the quality rules DataPact generates."""
    if isinstance(value, list):
        return [without_datapact(v) for v in value if not is_datapact_property(v)]
    if not isinstance(value, dict):
        return copy.deepcopy(value)
    result: dict[str, Any] = {}
    for key, item in value.items():
        if key == "quality" and isinstance(item, list):
            item = [rule for rule in item if not is_generated_rule(rule)]
        cleaned = without_datapact(item)
        if key == "customProperties" and isinstance(item, list) and not cleaned and item:
            continue  # only DataPact's: the document had none of its own
        if key == "quality" and isinstance(item, list) and not cleaned and item:
            continue
        result[key] = cleaned
    return result


def is_generated_rule(rule: Any) -> bool:
    """A quality rule DataPact writes from the contract (marked by a custom property)."""
    if not isinstance(rule, dict):
        return False
    custom = rule.get("customProperties")
    return isinstance(custom, list) and any(
        isinstance(c, dict) and c.get("property") == RULE for c in custom
    )


def is_enum_rule(rule: Any) -> bool:
    """An ``invalidValues`` rule with ``mustBe: 0`` and valid values: an enum constraint."""
    if not isinstance(rule, dict):
        return False
    values = (rule.get("arguments") or {}).get("validValues")
    return (
        rule.get("metric") == ENUM_METRIC
        and rule.get("mustBe") == 0
        and isinstance(values, list)
        and bool(values)
        and "unit" not in rule  # `unit: rows` spelled out: a quality rule DataPact counts
    )


# The keys of an ODCS quality rule DataPact models; the others (id, dimension, severity,
# businessImpact, schedule, customProperties ...) stay in the rule as written.
MODELED_RULE_KEYS = frozenset(
    {"type", "metric", "arguments", "query", "unit", "name", "description", *OPERATORS}
)


def read_rule(rule: Any, *, field_level: bool) -> tuple[QualityRule | None, str | None]:
    """An ODCS quality rule as DataPact models it, or why it is not (``None, reason``; the
    reason is ``None`` for rules that are not meant to run: text, custom, DataPact's own
    generated rules and enum constraints)."""
    if not isinstance(rule, dict) or is_generated_rule(rule) or is_enum_rule(rule):
        return None, None
    kind = rule.get("type", "library" if "metric" in rule else None)
    if kind not in ("library", "sql"):
        return None, None
    try:
        parsed = QualityRule.model_validate(
            {k: v for k, v in rule.items() if k in MODELED_RULE_KEYS and v is not None}
        )
    except ValidationError as exc:
        return None, "; ".join(str(e.get("msg", "")) for e in exc.errors())[:300]
    if parsed.metric is not None:
        allowed = FIELD_METRICS if field_level else TABLE_METRICS
        on_several = "properties" in (parsed.arguments or {})
        if parsed.metric not in allowed or (field_level and on_several):
            return None, f"{parsed.metric} does not apply to a {_level(field_level)}"
        if not field_level and parsed.metric is LibraryMetric.DUPLICATE_VALUES and not on_several:
            return None, "duplicateValues on a schema object needs arguments.properties"
    elif parsed.type is RuleType.SQL and not field_level and parsed.query:
        from sqlglot import exp  # parse_rule_query has imported it

        tree = parse_rule_query(parsed.query).tree
        if any(c.name == PROPERTY_PLACEHOLDER for c in tree.find_all(exp.Column)):
            return None, "${property} in a schema object's rule names no property"
    return parsed, None


def _level(field_level: bool) -> str:
    return "property" if field_level else "schema object"


def is_modeled_rule(rule: Any, *, field_level: bool) -> bool:
    return read_rule(rule, field_level=field_level)[0] is not None


_UNEXPECTED = re.compile(r"\((.*) (?:was|were) unexpected\)$")


def unknown_keys(instance: Any, message: str) -> list[str]:
    """The keys of ``instance`` a jsonschema "... were unexpected" message names."""
    match = _UNEXPECTED.search(message)
    if not match or not isinstance(instance, dict):
        return []
    listed = match.group(1)
    return [key for key in instance if isinstance(key, str) and repr(key) in listed]


def drop_keys(document: dict[str, Any], located: Iterable[tuple[list[Any], list[str]]]) -> None:
    """Remove ``keys`` at each ``path`` of ``document`` (in place)."""
    for path, keys in located:
        node: Any = document
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if isinstance(node, dict):
            for key in keys:
                node.pop(key, None)


# -- which verbatim sections changed ---------------------------------------------------------


def verbatim_changes(old: OdcsSource | None, new: OdcsSource | None) -> list[str]:
    """Names of the verbatim sections that differ, e.g. ``roles`` or
    ``schema.properties.rcvr_id.customProperties`` (empty when neither came from ODCS)."""
    if old is None and new is None:
        return []
    return section_changes(
        (old.document, old.schema_object, old.properties) if old else ({}, {}, []),
        (new.document, new.schema_object, new.properties) if new else ({}, {}, []),
    )


Parts = tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]


def document_parts(document: dict[str, Any], index: int = 0) -> Parts:
    """(document without ``schema``, its ``index``-th schema object without ``properties``,
    that object's properties) of a whole ODCS document."""
    objects = document.get("schema") or [{}]
    obj = objects[index] if index < len(objects) and isinstance(objects[index], dict) else {}
    return (
        {k: v for k, v in document.items() if k != "schema"},
        {k: v for k, v in obj.items() if k != "properties"},
        list(obj.get("properties") or []),
    )


def section_changes(old: Parts, new: Parts) -> list[str]:
    """The verbatim sections that differ between two documents' parts."""
    before = _document_rest(old[0])
    after = _document_rest(new[0])
    changed = _changed_keys(before, after, "")
    before = _object_rest(old[1])
    after = _object_rest(new[1])
    changed += _changed_keys(before, after, "schema.")
    old_props = _by_name(old[2])
    new_props = _by_name(new[2])
    for name in [*old_props, *(n for n in new_props if n not in old_props)]:
        before = _property_rest(old_props.get(name, {}))
        after = _property_rest(new_props.get(name, {}))
        changed += _changed_keys(before, after, f"schema.properties.{name}.")
    return changed


def _changed_keys(before: dict[str, Any], after: dict[str, Any], prefix: str) -> list[str]:
    keys = [*before, *(k for k in after if k not in before)]
    return [f"{prefix}{key}" for key in keys if before.get(key) != after.get(key)]


def _by_name(properties: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(p.get("name")): p for p in properties if isinstance(p, dict)}


def _document_rest(document: dict[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in document.items() if k not in _MODELED_DOCUMENT_KEYS}
    description = rest.get("description")
    if isinstance(description, dict):
        rest["description"] = {k: v for k, v in description.items() if k != "purpose"}
    team = rest.get("team")
    if isinstance(team, dict):
        rest["team"] = {k: v for k, v in team.items() if k != "name"}
    servers = rest.get("servers")
    if isinstance(servers, list):
        rest["servers"] = [
            s for s in servers if not (isinstance(s, dict) and s.get("type") == "api")
        ]
    slas = rest.get("slaProperties")
    if isinstance(slas, list):
        rest["slaProperties"] = [s for s in slas if not _modeled_sla(s)]
    return {k: v for k, v in rest.items() if v not in ({}, [])}


def _modeled_sla(sla: Any) -> bool:
    name = sla.get("property") if isinstance(sla, dict) else None
    return isinstance(name, str) and name.strip().lower() in SLA_METRIC


def _object_rest(obj: dict[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in obj.items() if k not in _MODELED_OBJECT_KEYS and k != "description"}
    rules = rest.get("quality")
    if isinstance(rules, list) and rules:
        kept = _unmodeled_parts(rules, field_level=False)
        if kept:
            rest["quality"] = kept
        else:
            del rest["quality"]
    return rest


def _unmodeled_parts(rules: list[Any], *, field_level: bool) -> list[Any]:
    """The rules as the verbatim comparison sees them: a modelled rule only by the keys
    DataPact does not model (its ``severity``, ``dimension`` ...), others whole."""
    result: list[Any] = []
    for rule in rules:
        if not is_modeled_rule(rule, field_level=field_level):
            result.append(rule)
            continue
        rest = {k: v for k, v in rule.items() if k not in MODELED_RULE_KEYS}
        if rest:
            result.append(rest)
    return result


def _property_rest(prop: dict[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in prop.items() if k not in MODELED_PROPERTY_KEYS}
    options = rest.get("logicalTypeOptions")
    if isinstance(options, dict):
        rest["logicalTypeOptions"] = {k: v for k, v in options.items() if k not in MODELED_OPTIONS}
    rules = rest.get("quality")
    if isinstance(rules, list):
        rest["quality"] = _unmodeled_parts(
            [r for r in rules if not is_enum_rule(r)], field_level=True
        )
    relationships = rest.get("relationships")
    if isinstance(relationships, list):
        rest["relationships"] = [
            r
            for r in relationships
            if not (isinstance(r, dict) and r.get("type") in (None, "foreignKey"))
        ]
    return {k: v for k, v in rest.items() if v not in ({}, [])}
