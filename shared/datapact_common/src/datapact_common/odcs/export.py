"""DataPact -> ODCS v3.1.0 / v3.2.0.

A contract DataPact wrote itself is exported whole. A contract imported from an ODCS
document is written back *onto that document as it was written*: each part DataPact models
is compared with what the document said at import (``odcs.imported``); a part that still
says the same keeps its original text, a changed part is rewritten, and everything DataPact
does not model stays in place. So ``export(import(doc))`` gives back ``doc`` (plus DataPact's
``datapact*`` custom properties), and edits made in DataPact land where they belong.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from datapact_common.contract_schema import (
    ConstraintType,
    ContractDefinition,
    ContractField,
    DataType,
)
from datapact_common.exceptions import ContractValidationError, OdcsError
from datapact_common.odcs import mapping as m
from datapact_common.odcs.quality import QualityWriter
from datapact_common.odcs.types import LOGICAL_TYPES
from datapact_common.odcs.validation import (
    EXPORT_API_VERSION,
    EXPORT_VERSIONS,
    export_schema,
    schema_errors,
)
from datapact_common.odcs.verbatim import (
    MODELED_OPTIONS,
    MODELED_RULE_KEYS,
    is_enum_rule,
    read_rule,
)
from datapact_common.quality_rules import QualityRule


def to_odcs(contract: ContractDefinition, *, api_version: str | None = None) -> dict[str, Any]:
    """The contract as one ODCS document (valid against the official JSON schema of
    ``api_version``, default :data:`EXPORT_API_VERSION`)."""
    return to_odcs_documents([contract], api_version=api_version)[0]


def to_odcs_documents(
    contracts: list[ContractDefinition], *, api_version: str | None = None
) -> list[dict[str, Any]]:
    """ODCS documents for ``contracts``: the contracts imported from one document (same
    ODCS ``id``) become that document again, with one schema object each; any other contract
    is a document of its own."""
    version = str(api_version or EXPORT_API_VERSION)
    schema = _schema(version)
    groups: dict[tuple[str, str], list[ContractDefinition]] = {}
    for contract in contracts:
        key = ("odcs", contract.odcs.id) if contract.odcs else ("contract", contract.name)
        groups.setdefault(key, []).append(contract)
    documents = [_DocumentWriter(group, version).document() for group in groups.values()]
    for document in documents:
        errors = schema_errors(document, schema)
        if errors:
            hint = " (it carries ODCS v3.2 parts: export as v3.2.0)" if version == "v3.1.0" else ""
            raise OdcsError(
                f"'{document.get('id')}' cannot be written as ODCS {version}{hint}: "
                + "; ".join(errors[:5]),
                errors,
            )
    return documents


def check_exportable(contract: ContractDefinition) -> None:
    """Raise :class:`ContractValidationError` (422) when the ODCS document a contract keeps
    (``odcs``, e.g. edited by hand) makes no valid ODCS document in any version DataPact
    writes: a registry never stores a contract it cannot export."""
    if contract.odcs is None:
        return
    problems: list[str] = []
    for version in reversed(EXPORT_VERSIONS):
        try:
            to_odcs(contract, api_version=version)
            return
        except OdcsError as exc:
            problems.extend(f"{version}: {error}" for error in exc.errors[:5])
    raise ContractValidationError(
        "the `odcs` section does not make a valid ODCS document: " + "; ".join(problems[:3]),
        [{"loc": "odcs", "message": problem, "type": "odcs"} for problem in problems],
    )


def _schema(version: str) -> dict[str, Any]:
    try:
        return export_schema(version)
    except ValueError as exc:
        raise OdcsError(str(exc), [str(exc)]) from exc


def _imported(contract: ContractDefinition) -> ContractDefinition | None:
    """The contract as first read from its ODCS document; ``None`` if it was not, or if
    that reading is no valid contract any more (then every part is written anew)."""
    if contract.odcs is None or not contract.odcs.imported:
        return None
    try:
        return ContractDefinition.model_validate(contract.odcs.imported)
    except ValidationError:
        return None


def _custom(pairs: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"property": key, "value": value} for key, value in pairs.items()]


def _with_custom(item: dict[str, Any], pairs: dict[str, Any]) -> None:
    """Append DataPact's custom properties to ``item``'s own."""
    if pairs:
        item["customProperties"] = [*item.get("customProperties", []), *_custom(pairs)]


def _put(item: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key``, or remove it for ``None``."""
    if value is None:
        item.pop(key, None)
    else:
        item[key] = value


class _DocumentWriter:
    def __init__(self, contracts: list[ContractDefinition], version: str) -> None:
        self.contracts = contracts
        self.version = version
        self.first = contracts[0]
        self.was = _imported(self.first)
        # Foreign keys to a contract of the same document name its schema object.
        self.object_for = {c.name: _object_name(c) for c in contracts}

    def _same(self, attr: str) -> bool:
        return self.was is not None and getattr(self.was, attr) == getattr(self.first, attr)

    def document(self) -> dict[str, Any]:
        first, source = self.first, self.first.odcs
        doc: dict[str, Any] = copy.deepcopy(source.document) if source else {}
        doc["apiVersion"] = self.version
        doc["kind"] = "DataContract"
        doc["id"] = source.id if source else first.name
        if source is None:
            doc["name"] = first.name
        if not (self._same("version") and "version" in doc):
            doc["version"] = first.version
        if not (self._same("status") and "status" in doc):
            doc["status"] = str(first.status)
        self._purpose(doc)
        if not self._same("tags"):
            _put(doc, "tags", list(first.tags) or None)
        if not self._same("publisher"):
            doc["team"] = _team(doc.get("team"), first.publisher.team, first.publisher.owner)
        self._servers(doc)
        objects = [self._object(c) for c in self.contracts]
        names = {
            f.name: str(p.get("name"))
            for f, p in zip(first.schema_fields, objects[0]["properties"], strict=True)
        }
        QualityWriter(self.version).slas(doc, first, self.was, self.object_for, names)
        doc["schema"] = objects
        _with_custom(doc, {m.PUBLISHER: first.publisher.model_dump(mode="json")})
        return doc

    def _purpose(self, doc: dict[str, Any]) -> None:
        first = self.first
        if first.odcs and _description_in_object(first):
            return
        if self._same("description"):
            return
        description = doc.get("description")
        description = dict(description) if isinstance(description, dict) else {}
        _put(description, "purpose", first.description)
        _put(doc, "description", description or None)

    def _servers(self, doc: dict[str, Any]) -> None:
        access = self.first.access
        servers = [dict(s) for s in doc.get("servers", []) if isinstance(s, dict)]
        position = next((i for i, s in enumerate(servers) if s.get("type") == "api"), None)
        if not self._same("access"):
            server = servers[position] if position is not None else {"server": "api"}
            servers = [s for s in servers if s.get("type") != "api"]
            if access is not None:
                server = {**server, "type": "api", "location": access.endpoint_url}
                servers.insert(position if position is not None else len(servers), server)
                position = servers.index(server)
            else:
                position = None
        if access is not None and position is not None:
            details = access.model_dump(mode="json", exclude={"endpoint_url"})
            _with_custom(servers[position], {m.ACCESS: details})
        _put(doc, "servers", servers or None)

    # -- schema objects -----------------------------------------------------------------------
    def _object(self, contract: ContractDefinition) -> dict[str, Any]:
        source, was = contract.odcs, _imported(contract)
        if source is None:
            obj: dict[str, Any] = {"name": contract.name}
            _put(obj, "physicalName", contract.table)
            obj |= {"physicalType": "table", "logicalType": "object"}
        else:
            obj = copy.deepcopy(source.schema_object)
            if was is None or was.table != contract.table:
                _put(obj, "physicalName", contract.table)
            if was is None or was.tags != contract.tags:
                obj.pop("tags", None)
            if _description_in_object(contract) and (
                was is None or was.description != contract.description
            ):
                _put(obj, "description", contract.description)
        originals = _originals(contract, was)
        keys = iter(range(1, len(contract.schema_fields) + 1))
        writer = _PropertyWriter(self.version, self.object_for)
        properties = []
        for field in contract.schema_fields:
            written, was_field = originals.get(field.name, (None, None))
            position = next(keys) if field.is_primary_key else None
            properties.append(writer.property(field, written, was_field, position))
        obj["properties"] = properties
        if was is None or was.quality_rules != contract.quality_rules:
            rules = merge_rules(obj.get("quality"), contract.quality_rules, field_level=False)
            _put(obj, "quality", rules or None)
        QualityWriter(self.version).rules(obj, contract)
        _with_custom(obj, _contract_custom(contract, len(self.contracts) > 1))
        return obj


def merge_rules(
    written: Any, rules: list[QualityRule], *, field_level: bool
) -> list[dict[str, Any]]:
    """The ``quality`` list as written with the modelled rules replaced, in order, by
    ``rules``: an unchanged rule keeps its text, a changed one its unmodelled keys
    (``dimension``, ``severity``, ...); rules DataPact does not run stay where they were."""
    pending = list(rules)
    result: list[dict[str, Any]] = []
    for rule in written if isinstance(written, list) else []:
        parsed, _ = read_rule(rule, field_level=field_level)
        if parsed is None:
            result.append(rule)
            continue
        if not pending:
            continue  # removed
        wanted = pending.pop(0)
        if parsed == wanted:
            result.append(rule)
        else:
            kept = {k: v for k, v in rule.items() if k not in MODELED_RULE_KEYS}
            result.append({**kept, **wanted.to_odcs()})
    return result + [rule.to_odcs() for rule in pending]


def _contract_custom(contract: ContractDefinition, several: bool) -> dict[str, Any]:
    """What ODCS cannot say of a contract, for its schema object (the document's own
    ``datapactPublisher`` marks it as written by DataPact)."""
    pairs: dict[str, Any] = {}
    if several:
        pairs[m.PUBLISHER] = contract.publisher.model_dump(mode="json")
    if contract.subscribers:
        pairs[m.SUBSCRIBERS] = [s.model_dump(mode="json") for s in contract.subscribers]
    if contract.quality:
        pairs[m.QUALITY] = [q.model_dump(mode="json") for q in contract.quality]
    if contract.metadata:
        pairs[m.METADATA] = contract.metadata
    if contract.change_policy is not None:
        pairs[m.CHANGE_POLICY] = contract.change_policy.model_dump(mode="json")
    return pairs


def _object_name(contract: ContractDefinition) -> str:
    return contract.odcs.object if contract.odcs else contract.name


def _description_in_object(contract: ContractDefinition) -> bool:
    """Whether the contract's description was read from its schema object (see
    :func:`description_from_object`), so it is written back there."""
    source = contract.odcs
    if source is None or source.schema_object.get("description") is None:
        return False
    purpose = (source.document.get("description") or {}).get("purpose")
    read = source.imported.get("description")
    return purpose is None or (read == source.schema_object["description"] and read != purpose)


def _originals(
    contract: ContractDefinition, was: ContractDefinition | None
) -> dict[str, tuple[dict[str, Any] | None, ContractField | None]]:
    """Each field's property as written and as read at import, by field name."""
    if contract.odcs is None or was is None:
        return {}
    props = contract.odcs.properties
    if len(props) != len(was.schema_fields):
        return {}
    return {f.name: (p, f) for p, f in zip(props, was.schema_fields, strict=True)}


def _team(team: Any, name: str, owner: str) -> dict[str, Any]:
    """The ODCS team for a publisher: the document's own team (a v3.0 member list becomes
    ``members``) with its name, and the owner first with the role ``owner``."""
    written: dict[str, Any] = dict(team) if isinstance(team, dict) else {}
    members = team if isinstance(team, list) else written.get("members") or []
    others = [
        member
        for member in members
        if isinstance(member, dict)
        and member.get("username") != owner
        and "owner" not in str(member.get("role") or "").lower()
    ]
    return {**written, "name": name, "members": [{"username": owner, "role": "owner"}, *others]}


class _PropertyWriter:
    """One field as an ODCS property, over the property as written when there is one."""

    def __init__(self, version: str, object_for: dict[str, str]) -> None:
        self.version = version
        self.object_for = object_for

    def property(
        self,
        field: ContractField,
        written: dict[str, Any] | None,
        was: ContractField | None,
        key_position: int | None,
    ) -> dict[str, Any]:
        prop: dict[str, Any] = copy.deepcopy(written) if written is not None else {}

        def changed(attr: str) -> bool:
            return was is None or getattr(was, attr) != getattr(field, attr)

        if changed("name"):
            prop["name"] = field.name
        if changed("data_type"):
            self._type(prop, field)
        elif "logicalType" not in prop and self.version != "v3.1.0":
            # The v3.2.0 schema's conditions on logicalType reject a property without one.
            prop["logicalType"] = LOGICAL_TYPES[field.data_type]
        for attr, key in (
            ("physical_type", "physicalType"),
            ("physical_name", "physicalName"),
            ("description", "description"),
        ):
            if changed(attr):
                _put(prop, key, getattr(field, attr))
        if changed("nullable"):
            prop.pop("isNullable", None)
            prop["required"] = not field.nullable
        if changed("is_primary_key") or (field.is_primary_key and "primaryKey" not in prop):
            _put(prop, "primaryKey", True if field.is_primary_key else None)
            _put(prop, "primaryKeyPosition", key_position)
        if changed("unique"):
            prop.pop("isUnique", None)
            _put(prop, "unique", True if field.unique else None)
        if changed("classification"):
            _put(prop, "classification", field.classification)
        if changed("example_value"):
            _put(
                prop, "examples", [field.example_value] if field.example_value is not None else None
            )
        if changed("foreign_key_reference"):
            self._reference(prop, field)
        if changed("constraints"):
            self._constraints(prop, field)
        if changed("quality_rules"):
            rules = merge_rules(prop.get("quality"), field.quality_rules, field_level=True)
            _put(prop, "quality", rules or None)
        if changed("deprecated") and self.version != "v3.1.0":
            # ODCS v3.2's own term (a flag); the dates travel in DataPact's custom property.
            _put(prop, "deprecated", True if field.deprecated is not None else None)
        _with_custom(prop, self._custom(prop, field))
        return prop

    def _type(self, prop: dict[str, Any], field: ContractField) -> None:
        prop["logicalType"] = LOGICAL_TYPES[field.data_type]
        options = dict(prop.get("logicalTypeOptions") or {})
        if options.get("format") == "uuid":
            options.pop("format")
        options.pop("timezone", None)
        if field.data_type is DataType.UUID:
            options["format"] = "uuid"
        if field.data_type in m.TIMEZONE_TYPES:
            options["timezone"] = m.TIMEZONE_TYPES[field.data_type]
        _put(prop, "logicalTypeOptions", options or None)

    def _reference(self, prop: dict[str, Any], field: ContractField) -> None:
        kept = [
            r
            for r in prop.get("relationships", [])
            if not (isinstance(r, dict) and r.get("type") in (None, "foreignKey"))
        ]
        reference = field.foreign_key_reference
        if reference:
            contract, column = reference.split(".", 1)
            target = f"{self.object_for.get(contract, contract)}.{column}"
            kept.append({"type": "foreignKey", "to": target})
        _put(prop, "relationships", kept or None)

    def _constraints(self, prop: dict[str, Any], field: ContractField) -> None:
        logical = prop.get("logicalType") or LOGICAL_TYPES[field.data_type]
        options = {
            k: v
            for k, v in (prop.get("logicalTypeOptions") or {}).items()
            if k not in MODELED_OPTIONS or k in ("format", "timezone")
        }
        keys = m.OPTION_KEYS.get(logical, {})
        for constraint in field.constraints:
            if constraint.type in keys:
                options[keys[constraint.type]] = constraint.value
        _put(prop, "logicalTypeOptions", options or None)
        rules = [r for r in prop.get("quality", []) if not is_enum_rule(r)]
        prop.pop("enum", None)
        for constraint in field.constraints:
            if constraint.type is not ConstraintType.ENUM:
                continue
            if self.version != "v3.1.0" and _native_enum(constraint.value):
                prop["enum"] = [{"value": value} for value in constraint.value]
                continue
            rule: dict[str, Any] = {
                "type": "library",
                "metric": m.ENUM_METRIC,
                "arguments": {"validValues": constraint.value},
                "mustBe": 0,
            }
            _put(rule, "description", constraint.message)
            rules.append(rule)
        _put(prop, "quality", rules or None)

    @staticmethod
    def _custom(prop: dict[str, Any], field: ContractField) -> dict[str, Any]:
        custom: dict[str, Any] = {}
        # The exact type beside DataPact's own logicalType for it: an import then sees an
        # edit of that logicalType. A document's own logicalType (kept as written) reads
        # as the type without it.
        if prop.get("logicalType") == LOGICAL_TYPES[field.data_type]:
            custom[m.DATA_TYPE] = str(field.data_type)
        labels = {str(t).lower() for t in prop.get("tags", [])}
        labels.add(str(prop.get("classification") or "").lower())
        if field.is_pii != ("pii" in labels):
            custom[m.PII] = field.is_pii
        if field.constraints:
            custom[m.CONSTRAINTS] = [c.model_dump(mode="json") for c in field.constraints]
        if field.deprecated is not None:
            custom[m.DEPRECATED] = field.deprecated.model_dump(mode="json", exclude_none=True)
        return custom


def _native_enum(values: list[Any]) -> bool:
    """ODCS v3.2's ``enum`` holds distinct scalar values."""
    scalars = all(not isinstance(v, dict | list) for v in values)
    return scalars and len({repr(v) for v in values}) == len(values)
