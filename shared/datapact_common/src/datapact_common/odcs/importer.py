"""ODCS v3 -> DataPact, for documents DataPact wrote and for foreign ones.

Natural ODCS fields are authoritative (an edit made in an ODCS tool wins); the DataPact
custom properties restore what ODCS cannot say (exact threshold text, constraint messages,
subscribers, ...). A document with several schema objects gives one contract per object.
Each contract keeps the document as written (``ContractDefinition.odcs``): its identity
(document ``id`` + object ``name``) and, verbatim, what DataPact does not model.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from open_data_contract_standard.model import (
    OpenDataContractStandard,
    SchemaObject,
    Team,
)
from pydantic import ValidationError

from datapact_common.contract_schema import ContractDefinition, ContractStatus, MetricType
from datapact_common.documents import format_validation_errors
from datapact_common.exceptions import OdcsError, ThresholdError
from datapact_common.odcs import mapping as m
from datapact_common.odcs.fields import FieldReader, custom_map, read_rules
from datapact_common.odcs.slas import (
    applies_to,
    element_column,
    method_column,
    threshold_text,
)
from datapact_common.odcs.types import coerce_version, sanitize_contract_name
from datapact_common.odcs.validation import inspect_document
from datapact_common.odcs.verbatim import (
    document_parts,
    drop_keys,
    section_changes,
    without_datapact,
)
from datapact_common.thresholds import parse_duration, parse_percentage, parse_row_range


@dataclass
class OdcsImport:
    """The contracts read from one ODCS document, and what was ignored or guessed."""

    contracts: list[ContractDefinition]
    warnings: list[str] = field(default_factory=list)


def read_odcs(doc: Any, *, team: str | None = None, owner: str | None = None) -> OdcsImport:
    """Validate an ODCS document and convert it; raises :class:`OdcsError` listing problems.

    ``team``/``owner`` override the publisher (useful for foreign documents without a team).
    """
    check = inspect_document(doc)
    if check.errors:
        raise _invalid(check.errors)
    try:
        model = OpenDataContractStandard.model_validate(doc)
    except ValidationError as exc:
        raise _invalid(
            [f"{e['loc']}: {e['message']}" for e in format_validation_errors(exc)]
        ) from exc
    kept = _as_kept(doc, check.ignored)
    reader = _Reader(doc, kept, model, team=team, owner=owner, warnings=check.warnings)
    return OdcsImport(contracts=reader.contracts(), warnings=reader.warnings)


def from_odcs(
    doc: Any, *, team: str | None = None, owner: str | None = None
) -> list[ContractDefinition]:
    """Every contract in an ODCS document (one per schema object)."""
    return read_odcs(doc, team=team, owner=owner).contracts


def _invalid(errors: list[str]) -> OdcsError:
    shown = "; ".join(errors[:5]) + (f"; ... ({len(errors) - 5} more)" if len(errors) > 5 else "")
    return OdcsError(f"invalid ODCS document ({len(errors)} problem(s)): {shown}", errors)


def _as_kept(doc: dict[str, Any], ignored: list[tuple[list[Any], list[str]]]) -> dict[str, Any]:
    """The document as it is kept: without the keys reported as ignored and without
    DataPact's own custom properties. ODCS v2's ``isNullable``/``isUnique``, which are
    read, are kept as the v3 ``required``/``unique`` they mean."""
    kept = copy.deepcopy(doc)
    for path, keys in ignored:
        if len(path) == 4 and path[0] == "schema" and path[2] == "properties":
            prop = kept["schema"][path[1]]["properties"][path[3]]
            if "isNullable" in keys and isinstance(prop.get("isNullable"), bool):
                prop.setdefault("required", not prop["isNullable"])
            if "isUnique" in keys and isinstance(prop.get("isUnique"), bool):
                prop.setdefault("unique", prop["isUnique"])
    drop_keys(kept, ignored)
    cleaned: dict[str, Any] = without_datapact(kept)
    return cleaned


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


_STATUS = {
    "active": ContractStatus.ACTIVE,
    "draft": ContractStatus.DRAFT,
    "proposed": ContractStatus.DRAFT,
    "deprecated": ContractStatus.DEPRECATED,
    "retired": ContractStatus.DEPRECATED,
}
_TABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$")


def description_from_object(obj: SchemaObject | dict[str, Any], objects: int) -> bool:
    """Whether a contract's description is its schema object's (else the document's
    ``description.purpose``): for documents with several objects that describe themselves."""
    description = obj.get("description") if isinstance(obj, dict) else obj.description
    return objects > 1 and description is not None


class _Reader:
    def __init__(
        self,
        raw: dict[str, Any],
        kept: dict[str, Any],
        model: OpenDataContractStandard,
        *,
        team: str | None,
        owner: str | None,
        warnings: list[str],
    ) -> None:
        self.raw = raw
        self.kept = kept
        self.model = model
        self.team_override = team
        self.owner_override = owner
        self.warnings = list(warnings)
        self.document_custom = custom_map(model.customProperties)
        self.custom = self.document_custom
        self.from_datapact = m.PUBLISHER in self.document_custom
        self.objects: list[SchemaObject] = model.schema_ or []
        self.object_names = [o.name for o in self.objects if o.name]
        self.names = self._contract_names()

    # -- document level -------------------------------------------------------
    def contracts(self) -> list[ContractDefinition]:
        _refuse_partial(self.objects)
        version = self._version()
        status = self._status()
        access = self._access()
        contract_for = {o.name: self.names[i] for i, o in enumerate(self.objects) if o.name}
        fields = FieldReader(
            self.objects,
            contract_for,
            from_datapact=self.from_datapact,
            warn=self.warnings.append,
        )
        raw_objects = self.raw.get("schema") or []
        contracts: list[ContractDefinition] = []
        for index, obj in enumerate(self.objects):
            name = self.names[index]
            raw_props = raw_objects[index].get("properties") or []
            # DataPact writes a contract's own details on its schema object (older exports,
            # on the document).
            self.custom = {**self.document_custom, **custom_map(obj.customProperties)}
            document: dict[str, Any] = {
                "name": name,
                "version": version,
                "description": self._description(obj),
                "status": status,
                "table": self._table(obj, name),
                "publisher": self._publisher(),
                "schema": fields.fields(obj, raw_props),
                "quality": self._quality(obj),
                "quality_rules": read_rules(
                    raw_objects[index].get("quality"),
                    str(obj.name or name),
                    field_level=False,
                    warn=self._warn_once,
                ),
                "access": access,
                "tags": self._tags(obj),
                "metadata": self._metadata(),
            }
            if m.SUBSCRIBERS in self.custom:  # absent: the document says nothing about them
                document["subscribers"] = self._list(m.SUBSCRIBERS)
            if isinstance(self.custom.get(m.CHANGE_POLICY), dict):
                document["change_policy"] = self.custom[m.CHANGE_POLICY]
            contract = self._validate(name, document)
            contracts.append(self._with_source(index, obj, document, contract))
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

    def _with_source(
        self,
        index: int,
        obj: SchemaObject,
        document: dict[str, Any],
        contract: ContractDefinition,
    ) -> ContractDefinition:
        """The contract with the document kept as written, unless the document is exactly
        what DataPact writes for the contract (nothing to keep: it round-trips as is)."""
        if self.from_datapact and len(self.objects) == 1 and self._is_own_export(contract):
            return contract
        identity = str(self.model.id)
        if len(identity) > 255:
            raise OdcsError(
                "the ODCS document's id is longer than 255 characters; DataPact keys an "
                "imported document by its id (a UUID or a short name)",
                ["id: longer than 255 characters"],
            )
        kept_object = (self.kept.get("schema") or [])[index]
        source = {
            "id": identity,
            "object": obj.name or self.names[index],
            "document": {k: v for k, v in self.kept.items() if k != "schema"},
            "schema_object": {k: v for k, v in kept_object.items() if k != "properties"},
            "properties": kept_object.get("properties") or [],
            "imported": contract.to_document(exclude_defaults=True),
        }
        return self._validate(contract.name, {**document, "odcs": source})

    def _is_own_export(self, contract: ContractDefinition) -> bool:
        """Whether the document holds nothing DataPact does not model beyond what its own
        export of ``contract`` holds (edits of modeled parts are in the contract)."""
        from datapact_common.odcs.export import to_odcs  # export reads what this module reads

        obj = self.objects[0]
        if not (self.model.id == obj.name == contract.name):
            return False  # another identity than the one DataPact gives the contract
        try:
            own = without_datapact(to_odcs(contract))
        except OdcsError:
            return False
        return not section_changes(document_parts(self.kept), document_parts(own))

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
        if description_from_object(obj, len(self.objects)):
            return obj.description
        purpose = self.model.description.purpose if self.model.description else None
        return purpose if purpose is not None else obj.description

    def _table(self, obj: SchemaObject, name: str) -> str | None:
        table = obj.physicalName or (obj.name if obj.name != name else None)
        if table and not _TABLE.match(table):
            self.warnings.append(f"physical name {table!r} is not a table name; not imported")
            return None
        return table

    def _tags(self, obj: SchemaObject) -> list[str]:
        tags = [*(self.model.tags or []), *(obj.tags or [])]
        cleaned = [t.strip() for t in tags if isinstance(t, str) and 0 < len(t.strip()) <= 100]
        return list(dict.fromkeys(cleaned))

    def _list(self, key: str) -> list[Any]:
        value = self.custom.get(key)
        return value if isinstance(value, list) else []

    def _metadata(self) -> dict[str, Any]:
        value = self.custom.get(m.METADATA)
        return value if isinstance(value, dict) else {}

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
    def _quality(self, obj: SchemaObject) -> list[dict[str, Any]]:
        written = {q.get("metric_type"): q for q in self._list(m.QUALITY) if isinstance(q, dict)}
        result: list[dict[str, Any]] = []
        seen: set[MetricType] = set()
        # The column an element names, as the data service queries it: the property's
        # physicalName when it has one.
        columns = {p.name: p.physicalName or p.name for p in obj.properties or [] if p.name}
        columns |= {p.physicalName: p.physicalName for p in obj.properties or [] if p.physicalName}
        for sla in self.model.slaProperties or []:
            metric = m.SLA_METRIC.get((sla.property or "").strip().lower())
            if metric is None:
                self._warn_once(f"SLA '{sla.property}' has no DataPact equivalent; ignored")
                continue
            if not applies_to(sla.element, obj.name, self.object_names):
                continue
            if metric in seen:
                self._warn_once(f"SLA '{sla.property}' given more than once; first one kept")
                continue
            threshold = threshold_text(metric, sla.value, sla.unit)
            if threshold is None:
                unit = f" {sla.unit}" if sla.unit else ""
                self._warn_once(
                    f"SLA '{sla.property}' value {sla.value!r}{unit} is not a "
                    f"{_THRESHOLD_KIND.get(metric, 'percentage')}; "
                    "not imported"
                )
                continue
            seen.add(metric)
            entry: dict[str, Any] = {"metric_type": metric.value, "threshold": threshold}
            column = element_column(sla.element, obj.name, self.object_names)
            if metric is MetricType.FRESHNESS and column in columns:
                entry["measurement_method"] = columns[column]
            prior = written.get(metric.value)
            if isinstance(prior, dict):
                same = _same_threshold(metric, prior.get("threshold"), threshold)
                method = entry.get("measurement_method")
                entry = {**prior, **({} if same else {"threshold": threshold})}
                if method and method_column(prior.get("measurement_method")) != method:
                    entry["measurement_method"] = method  # the element was edited
            result.append(entry)
        return result

    def _warn_once(self, warning: str) -> None:
        if warning not in self.warnings:
            self.warnings.append(warning)

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
        details = custom_map(server.customProperties).get(m.ACCESS)
        access: dict[str, Any] = dict(details) if isinstance(details, dict) else {}
        access["endpoint_url"] = url
        return access


_THRESHOLD_KIND = {MetricType.FRESHNESS: "duration", MetricType.VOLUME: "row-count range"}


def _same_threshold(metric: MetricType, before: Any, after: str) -> bool:
    try:
        if metric is MetricType.FRESHNESS:
            return parse_duration(before) == parse_duration(after)
        if metric is MetricType.VOLUME:
            return parse_row_range(before) == parse_row_range(after)
        return parse_percentage(before) == parse_percentage(after)
    except ThresholdError:  # a malformed written threshold: the document's value wins
        return False
