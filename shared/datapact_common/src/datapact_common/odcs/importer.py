"""ODCS v3 -> DataPact, for documents DataPact wrote and for foreign ones.

Natural ODCS fields are authoritative (an edit made in an ODCS tool wins); the DataPact
custom properties restore what ODCS cannot say (exact threshold text, constraint messages,
subscribers, ...). A document with several schema objects gives one contract per object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from open_data_contract_standard.model import (
    CustomProperty,
    DataQuality,
    OpenDataContractStandard,
    SchemaObject,
    SchemaProperty,
    Team,
)
from pydantic import ValidationError

from datapact_common.contract_schema import (
    ConstraintType,
    ContractDefinition,
    ContractStatus,
    DataType,
    MetricType,
)
from datapact_common.documents import format_validation_errors
from datapact_common.exceptions import OdcsError, ThresholdError
from datapact_common.odcs import mapping as m
from datapact_common.odcs.types import (
    LOGICAL_TYPES,
    coerce_version,
    datapact_type,
    sanitize_contract_name,
    sanitize_field_name,
)
from datapact_common.odcs.validation import check_document
from datapact_common.thresholds import parse_duration, parse_percentage


@dataclass
class OdcsImport:
    """The contracts read from one ODCS document, and what was ignored or guessed."""

    contracts: list[ContractDefinition]
    warnings: list[str] = field(default_factory=list)


def read_odcs(doc: Any, *, team: str | None = None, owner: str | None = None) -> OdcsImport:
    """Validate an ODCS document and convert it; raises :class:`OdcsError` listing problems.

    ``team``/``owner`` override the publisher (useful for foreign documents without a team).
    """
    errors, warnings = check_document(doc)
    if errors:
        raise _invalid(errors)
    try:
        model = OpenDataContractStandard.model_validate(doc)
    except ValidationError as exc:
        raise _invalid(
            [f"{e['loc']}: {e['message']}" for e in format_validation_errors(exc)]
        ) from exc
    reader = _Reader(doc, model, team=team, owner=owner, warnings=warnings)
    return OdcsImport(contracts=reader.contracts(), warnings=reader.warnings)


def from_odcs(
    doc: Any, *, team: str | None = None, owner: str | None = None
) -> list[ContractDefinition]:
    """Every contract in an ODCS document (one per schema object)."""
    return read_odcs(doc, team=team, owner=owner).contracts


def _invalid(errors: list[str]) -> OdcsError:
    shown = "; ".join(errors[:5]) + (f"; ... ({len(errors) - 5} more)" if len(errors) > 5 else "")
    return OdcsError(f"invalid ODCS document ({len(errors)} problem(s)): {shown}", errors)


# What DataPact needs of an ODCS document, said the same way wherever one falls short.
_NEEDED = (
    "DataPact makes one contract per schema object and needs, for each, its fields: "
    "schema: [{name: <dataset>, properties: [{name: <field>, logicalType: <type>}, ...]}]"
)


def _refuse_partial(objects: list[SchemaObject]) -> None:
    """A valid ODCS document may describe servers, roles or SLAs only (the standard's own
    examples do); it is refused saying what is missing, not called invalid."""
    if not objects:
        raise OdcsError(
            "partial ODCS document: it has no schema objects, so there is no dataset to "
            f"import. {_NEEDED}",
            ["schema: no schema objects (the document describes no dataset)", _NEEDED],
        )
    empty = [
        f"schema[{index}] ({obj.name or 'unnamed'}): no properties"
        + (
            " (its fields are defined elsewhere: "
            + ", ".join(d.url for d in obj.authoritativeDefinitions if d.url)
            + ")"
            if obj.authoritativeDefinitions
            else ""
        )
        for index, obj in enumerate(objects)
        if not obj.properties
    ]
    if empty:
        raise OdcsError(
            f"partial ODCS document: {len(empty)} of {len(objects)} schema object(s) list no "
            f"properties (fields). {_NEEDED}",
            [*empty, _NEEDED],
        )


def _custom_map(props: list[CustomProperty] | None) -> dict[str, Any]:
    return {p.property: p.value for p in props or [] if p.property}


_STATUS = {
    "active": ContractStatus.ACTIVE,
    "draft": ContractStatus.DRAFT,
    "proposed": ContractStatus.DRAFT,
    "deprecated": ContractStatus.DEPRECATED,
    "retired": ContractStatus.DEPRECATED,
}

# ODCS SLA units -> (seconds per unit, DataPact unit word when it has one).
_DURATION_UNITS: dict[str, tuple[float, str | None]] = {
    **dict.fromkeys(("ms", "millisecond", "milliseconds"), (0.001, None)),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), (1, "seconds")),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), (60, "minutes")),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), (3600, "hours")),
    **dict.fromkeys(("d", "day", "days"), (86400, "days")),
    **dict.fromkeys(("w", "week", "weeks"), (604800, "weeks")),
    **dict.fromkeys(("mo", "month", "months"), (2592000, None)),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), (31536000, None)),
}
_PERCENT_UNITS = {None, "", "%", "percent", "pct", "percentage"}
_SHORTHAND_REF = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$")
_QUALIFIED_REF = re.compile(
    r"^(?:.*\.yaml#)?/?schema/([A-Za-z0-9_-]+)/properties/([A-Za-z0-9_-]+)$"
)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class _Reader:
    def __init__(
        self,
        raw: dict[str, Any],
        model: OpenDataContractStandard,
        *,
        team: str | None,
        owner: str | None,
        warnings: list[str],
    ) -> None:
        self.raw = raw
        self.model = model
        self.team_override = team
        self.owner_override = owner
        self.warnings = list(warnings)
        self.custom = _custom_map(model.customProperties)
        self.from_datapact = m.PUBLISHER in self.custom
        self.objects: list[SchemaObject] = model.schema_ or []
        self.names = self._contract_names()

    # -- document level -------------------------------------------------------
    def contracts(self) -> list[ContractDefinition]:
        _refuse_partial(self.objects)
        version = self._version()
        status = self._status()
        publisher = self._publisher()
        quality = self._quality()
        access = self._access()
        contracts: list[ContractDefinition] = []
        for index, obj in enumerate(self.objects):
            name = self.names[index]
            document: dict[str, Any] = {
                "name": name,
                "version": version,
                "description": self._description(obj),
                "status": status,
                "table": self._table(obj, name),
                "publisher": publisher,
                "schema": self._fields(index, obj),
                "quality": quality,
                "access": access,
                "tags": self._tags(obj),
                "metadata": self._metadata(obj),
            }
            if m.SUBSCRIBERS in self.custom:  # absent: the document says nothing about them
                document["subscribers"] = self._list(m.SUBSCRIBERS)
            contracts.append(self._validate(name, document))
        return contracts

    def _validate(self, name: str, document: dict[str, Any]) -> ContractDefinition:
        try:
            return ContractDefinition.model_validate(document)
        except ValidationError as exc:
            problems = [
                f"contract '{name}': {e['loc']}: {e['message']}"
                for e in format_validation_errors(exc)
            ]
            summary = "; ".join(problems[:5])
            raise OdcsError(
                f"the ODCS document does not convert to a valid contract: {summary}", problems
            ) from exc

    def _contract_names(self) -> list[str]:
        base = sanitize_contract_name(self.model.name or "")
        names: list[str] = []
        for obj in self.objects:
            own = sanitize_contract_name(obj.name or "")
            if len(self.objects) == 1:
                name = base or own
            else:
                name = f"{base}_{own}" if base and own else base or own
            name = name or sanitize_contract_name(self.model.id or "")
            if not name:
                raise _invalid([f"name: cannot derive a contract name from {self.model.name!r}"])
            candidate, n = name, 2
            while candidate in names:
                candidate, n = f"{name}_{n}", n + 1
            names.append(candidate)
        original = self.model.name if len(self.objects) == 1 and self.model.name else None
        if original and original != names[0]:
            self.warnings.append(f"name {original!r} imported as contract '{names[0]}'")
        return names

    def _version(self) -> str:
        version, note = coerce_version(self.model.version)
        if version is None:
            raise _invalid([f"version: {self.model.version!r} is not a version like 1.2.0"])
        if note:
            self.warnings.append(note)
        return version

    def _status(self) -> str:
        status = (self.model.status or "active").strip().lower()
        if status not in _STATUS:
            self.warnings.append(
                f"status {self.model.status!r} is not a DataPact status; read as draft"
            )
            return ContractStatus.DRAFT.value
        return _STATUS[status].value

    def _description(self, obj: SchemaObject) -> str | None:
        purpose = self.model.description.purpose if self.model.description else None
        if len(self.objects) > 1 and obj.description is not None:
            return obj.description
        return purpose if purpose is not None else obj.description

    def _table(self, obj: SchemaObject, name: str) -> str | None:
        table = obj.physicalName or (obj.name if obj.name != name else None)
        if table and not re.match(r"^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$", table):
            self.warnings.append(f"physical name {table!r} is not a table name; not imported")
            return None
        return table

    def _tags(self, obj: SchemaObject) -> list[str]:
        tags = (
            [*(self.model.tags or []), *(obj.tags or [])]
            if not self.from_datapact
            else [*(self.model.tags or [])]
        )
        cleaned = [t.strip() for t in tags if isinstance(t, str) and 0 < len(t.strip()) <= 100]
        return list(dict.fromkeys(cleaned))

    def _list(self, key: str) -> list[Any]:
        value = self.custom.get(key)
        return value if isinstance(value, list) else []

    def _metadata(self, obj: SchemaObject) -> dict[str, Any]:
        if self.from_datapact:
            value = self.custom.get(m.METADATA)
            return value if isinstance(value, dict) else {}
        model = self.model
        origin = {
            "id": model.id,
            "apiVersion": model.apiVersion,
            "name": model.name,
            "domain": model.domain,
            "dataProduct": model.dataProduct,
            "tenant": model.tenant,
            "schemaObject": obj.name,
        }
        provenance: dict[str, Any] = {k: v for k, v in origin.items() if v is not None}
        if self.custom:
            provenance["customProperties"] = self.custom
        return {"odcs": provenance}

    # -- publisher -------------------------------------------------------------
    def _publisher(self) -> dict[str, Any]:
        details = self.custom.get(m.PUBLISHER)
        publisher: dict[str, Any] = dict(details) if isinstance(details, dict) else {}
        team = self.model.team
        members = team.members if isinstance(team, Team) else team
        if isinstance(team, Team) and team.name:
            publisher["team"] = team.name
        usernames = [(mb.username, (mb.role or "").lower()) for mb in members or [] if mb.username]
        owner = next((u for u, role in usernames if "owner" in role), None)
        if owner is None and usernames and "owner" not in publisher:
            owner = usernames[0][0]
        if owner:
            publisher["owner"] = owner
        if self.team_override:
            publisher["team"] = self.team_override
        if self.owner_override:
            publisher["owner"] = self.owner_override
        if not publisher.get("team"):
            publisher["team"] = self.model.domain or "unknown"
            self.warnings.append(
                f"the document names no team; publisher team set to '{publisher['team']}'"
            )
        if not publisher.get("owner"):
            publisher["owner"] = publisher["team"]
            self.warnings.append(
                f"the document names no owner; publisher owner set to '{publisher['owner']}'"
            )
        return publisher

    # -- quality SLAs -----------------------------------------------------------
    def _quality(self) -> list[dict[str, Any]]:
        written = {q.get("metric_type"): q for q in self._list(m.QUALITY) if isinstance(q, dict)}
        result: list[dict[str, Any]] = []
        seen: set[MetricType] = set()
        for sla in self.model.slaProperties or []:
            metric = m.SLA_METRIC.get((sla.property or "").strip().lower())
            if metric is None:
                self.warnings.append(f"SLA '{sla.property}' has no DataPact equivalent; ignored")
                continue
            if metric in seen:
                self.warnings.append(f"SLA '{sla.property}' given more than once; first one kept")
                continue
            threshold = self._threshold(metric, sla.value, sla.unit)
            if threshold is None:
                continue
            seen.add(metric)
            entry: dict[str, Any] = {"metric_type": metric.value, "threshold": threshold}
            prior = written.get(metric.value)
            if isinstance(prior, dict):
                same = _same_threshold(metric, prior.get("threshold"), threshold)
                entry = dict(prior) if same else {**prior, "threshold": threshold}
            result.append(entry)
        return result

    def _threshold(self, metric: MetricType, value: Any, unit: str | None) -> str | None:
        text = self._threshold_text(metric, value, unit)
        try:
            if metric is MetricType.FRESHNESS:
                parse_duration(text or "")
            else:
                parse_percentage(text or "")
        except ThresholdError as exc:
            self.warnings.append(f"SLA '{metric}' value {value!r} {unit or ''} not imported: {exc}")
            return None
        return text

    @staticmethod
    def _threshold_text(metric: MetricType, value: Any, unit: str | None) -> str | None:
        if isinstance(value, bool) or value is None:
            return None
        unit_key = (unit or "").strip().lower()
        if metric is MetricType.FRESHNESS:
            if isinstance(value, str) and not unit_key:
                return value
            try:
                number = float(value)
            except ValueError:
                return None
            if unit_key not in _DURATION_UNITS:
                return None
            seconds, word = _DURATION_UNITS[unit_key]
            if word is None:
                return f"{_number_text(number * seconds)} seconds"
            return f"{_number_text(number)} {word if number != 1 else word.rstrip('s')}"
        if unit_key not in _PERCENT_UNITS:
            return None
        if isinstance(value, str):
            text = value.strip()
            return text if text.endswith("%") else f"{text}%"
        return f"{_number_text(float(value))}%"

    # -- access -----------------------------------------------------------------
    def _access(self) -> dict[str, Any] | None:
        servers = [s for s in self.model.servers or [] if s.type == "api"]
        if not servers:
            return None
        if len(servers) > 1:
            self.warnings.append("several API servers; the first one is the access endpoint")
        server = servers[0]
        url = server.location or ""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.warnings.append(f"API server location {url!r} is not an http(s) URL; ignored")
            return None
        details = _custom_map(server.customProperties).get(m.ACCESS)
        access: dict[str, Any] = dict(details) if isinstance(details, dict) else {}
        access["endpoint_url"] = url
        return access

    # -- fields ------------------------------------------------------------------
    def _fields(self, index: int, obj: SchemaObject) -> list[dict[str, Any]]:
        raw_props = (self.raw.get("schema") or [{}])[index].get("properties") or []
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
            self.warnings.append(f"{obj.name}: property {original!r} imported as '{candidate}'")
        return candidate

    def _field(
        self, obj: SchemaObject, prop: SchemaProperty, raw: dict[str, Any], used: set[str]
    ) -> dict[str, Any]:
        name = self._field_name(obj, prop, used)
        custom = _custom_map(prop.customProperties)
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
            self.warnings.append(f"{obj.name}.{name}: ODCS v2 key(s) {', '.join(legacy)} read")
        primary_key = bool(prop.primaryKey)
        nullable = not required
        if primary_key and nullable:
            nullable = False
            self.warnings.append(f"{obj.name}.{name}: primary key read as required (not null)")
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
            "constraints": self._constraints(obj, name, prop, custom.get(m.CONSTRAINTS)),
        }

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
        found = datapact_type(prop.logicalType, prop.physicalType, options)
        if found is None:
            self.warnings.append(f"{obj.name}.{name}: no type given; read as string")
            return DataType.STRING
        return found

    def _reference(self, obj: SchemaObject, name: str, prop: SchemaProperty) -> str | None:
        for relationship in prop.relationships or []:
            if relationship.type not in (None, "foreignKey"):
                continue
            target = relationship.to
            resolved = self._resolve(target) if isinstance(target, str) else None
            if resolved is None:
                self.warnings.append(
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
        by_object = {o.name: self.names[i] for i, o in enumerate(self.objects) if o.name}
        contract = by_object.get(table) or sanitize_contract_name(table)
        return f"{contract}.{column}" if contract and column else None

    # -- constraints ---------------------------------------------------------------
    def _constraints(
        self, obj: SchemaObject, name: str, prop: SchemaProperty, written: Any
    ) -> list[dict[str, Any]]:
        logical = prop.logicalType or ""
        options = prop.logicalTypeOptions or {}
        option_keys = m.OPTION_KEYS.get(logical, {})
        natural: dict[str, Any] = {
            str(kind): options[key] for kind, key in option_keys.items() if key in options
        }
        natural_kinds = {str(k) for k in option_keys} | {ConstraintType.ENUM.value}
        enum_rule = _enum_rule(prop.quality)
        if enum_rule is not None:
            natural[ConstraintType.ENUM.value] = enum_rule.arguments["validValues"]  # type: ignore[index]
        pattern = natural.get(ConstraintType.REGEX.value)
        if pattern is not None and not _compiles(pattern):
            self.warnings.append(f"{obj.name}.{name}: pattern {pattern!r} is not a valid regex")
            del natural[ConstraintType.REGEX.value]
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
            if kind == ConstraintType.ENUM.value and enum_rule and enum_rule.description:
                constraint["message"] = enum_rule.description
            result.append(constraint)
        if not self.from_datapact:
            result.extend(_bounds(name, logical, options))
        return result


def _same_threshold(metric: MetricType, before: Any, after: str) -> bool:
    try:
        if metric is MetricType.FRESHNESS:
            return parse_duration(before) == parse_duration(after)
        return parse_percentage(before) == parse_percentage(after)
    except ThresholdError:
        return False


def _enum_rule(rules: list[DataQuality] | None) -> DataQuality | None:
    for rule in rules or []:
        values = (rule.arguments or {}).get("validValues")
        strict = rule.mustBe == 0  # a tolerance (e.g. "<= 5 %") is a quality rule, not an enum
        if rule.metric == m.ENUM_METRIC and strict and isinstance(values, list) and values:
            return rule
    return None


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
