"""DataPact -> ODCS v3 (built with the ``open-data-contract-standard`` Pydantic model)."""

from __future__ import annotations

from typing import Any

from open_data_contract_standard.model import (
    CustomProperty,
    DataQuality,
    Description,
    OpenDataContractStandard,
    Relationship,
    SchemaObject,
    SchemaProperty,
    Server,
    ServiceLevelAgreementProperty,
    Team,
    TeamMember,
)

from datapact_common.contract_schema import (
    ConstraintType,
    ContractDefinition,
    ContractField,
    DataType,
    QualityMetric,
)
from datapact_common.odcs import mapping as m
from datapact_common.odcs.types import LOGICAL_TYPES
from datapact_common.odcs.validation import EXPORT_API_VERSION
from datapact_common.thresholds import Duration


def to_odcs(contract: ContractDefinition) -> dict[str, Any]:
    """The contract as an ODCS v3.1.0 document (valid against the official JSON schema)."""
    doc = OpenDataContractStandard(
        apiVersion=EXPORT_API_VERSION,
        kind="DataContract",
        id=contract.name,
        name=contract.name,
        version=contract.version,
        status=str(contract.status),
        description=Description(purpose=contract.description)
        if contract.description is not None
        else None,
        tags=list(contract.tags) or None,
        team=Team(
            name=contract.publisher.team,
            members=[TeamMember(username=contract.publisher.owner, role="owner")],
        ),
        schema=[_schema_object(contract)],
        servers=[_server(contract)] if contract.access else None,
        slaProperties=[_sla(q) for q in contract.quality] or None,
        customProperties=_contract_custom(contract) or None,
    )
    data: dict[str, Any] = doc.model_dump(by_alias=True, exclude_none=True, mode="json")
    return data


def _custom(pairs: dict[str, Any]) -> list[CustomProperty]:
    return [CustomProperty(property=key, value=value) for key, value in pairs.items()]


def _contract_custom(contract: ContractDefinition) -> list[CustomProperty]:
    pairs: dict[str, Any] = {
        m.PUBLISHER: contract.publisher.model_dump(mode="json"),
    }
    if contract.subscribers:
        pairs[m.SUBSCRIBERS] = [s.model_dump(mode="json") for s in contract.subscribers]
    if contract.quality:
        pairs[m.QUALITY] = [q.model_dump(mode="json") for q in contract.quality]
    if contract.metadata:
        pairs[m.METADATA] = contract.metadata
    return _custom(pairs)


def _schema_object(contract: ContractDefinition) -> SchemaObject:
    key_position = iter(range(1, len(contract.schema_fields) + 1))
    return SchemaObject(
        name=contract.name,
        physicalName=contract.table,
        physicalType="table",
        logicalType="object",
        properties=[
            _property(f, next(key_position) if f.is_primary_key else None)
            for f in contract.schema_fields
        ],
    )


def _property(field: ContractField, key_position: int | None) -> SchemaProperty:
    logical = LOGICAL_TYPES[field.data_type]
    custom: dict[str, Any] = {m.DATA_TYPE: str(field.data_type)}
    if field.is_pii:
        custom[m.PII] = True
    if field.constraints:
        custom[m.CONSTRAINTS] = [c.model_dump(mode="json") for c in field.constraints]
    return SchemaProperty(
        name=field.name,
        logicalType=logical,
        physicalType=str(field.data_type),
        description=field.description,
        required=not field.nullable,
        primaryKey=True if field.is_primary_key else None,
        primaryKeyPosition=key_position,
        unique=True if field.unique else None,
        examples=[field.example_value] if field.example_value is not None else None,
        relationships=[Relationship(type="foreignKey", to=field.foreign_key_reference)]
        if field.foreign_key_reference
        else None,
        logicalTypeOptions=_options(field, logical) or None,
        quality=_enum_rules(field) or None,
        customProperties=_custom(custom),
    )


def _options(field: ContractField, logical: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if field.data_type is DataType.UUID:
        options["format"] = "uuid"
    if field.data_type in m.TIMEZONE_TYPES:
        options["timezone"] = m.TIMEZONE_TYPES[field.data_type]
    keys = m.OPTION_KEYS.get(logical, {})
    for constraint in field.constraints:
        if constraint.type in keys:
            options[keys[constraint.type]] = constraint.value
    return options


def _enum_rules(field: ContractField) -> list[DataQuality]:
    return [
        DataQuality(
            type="library",
            metric=m.ENUM_METRIC,
            arguments={"validValues": c.value},
            mustBe=0,
            description=c.message,
        )
        for c in field.constraints
        if c.type is ConstraintType.ENUM
    ]


def _server(contract: ContractDefinition) -> Server:
    access = contract.access
    assert access is not None
    details = access.model_dump(mode="json", exclude={"endpoint_url"})
    return Server(
        server="api",
        type="api",
        location=access.endpoint_url,
        customProperties=_custom({m.ACCESS: details}),
    )


_UNITS = (("d", 86400), ("h", 3600), ("m", 60))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _sla(metric: QualityMetric) -> ServiceLevelAgreementProperty:
    threshold = metric.parsed_threshold()
    prop = m.SLA_PROPERTY[metric.metric_type]
    if isinstance(threshold, Duration):
        seconds = threshold.seconds
        unit, size = next(((u, s) for u, s in _UNITS if seconds % s == 0), ("s", 1))
        return ServiceLevelAgreementProperty(
            property=prop, value=_number(seconds / size), unit=unit
        )
    return ServiceLevelAgreementProperty(
        property=prop, value=_number(threshold.value), unit="percent"
    )
