"""Contract documents in the key order of the contract model.

PostgreSQL's JSONB keeps keys in its own order; documents are served in the order of the
model (name, version, description, ..., schema, ...), as people write them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from datapact_common.contract_schema import (
    AccessConfig,
    ChangePolicy,
    ContractDefinition,
    ContractField,
    FieldConstraint,
    FieldDeprecation,
    Publisher,
    QualityMetric,
    Subscriber,
)


def _keys(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(info.alias or name for name, info in model.model_fields.items())


_Spec = tuple[tuple[str, ...], dict[str, Any]]
_CONSTRAINT: _Spec = (_keys(FieldConstraint), {})
_NESTED: dict[str, _Spec] = {
    "publisher": (_keys(Publisher), {}),
    "schema": (
        _keys(ContractField),
        {"constraints": _CONSTRAINT, "deprecated": (_keys(FieldDeprecation), {})},
    ),
    "quality": (_keys(QualityMetric), {}),
    "access": (_keys(AccessConfig), {}),
    "subscribers": (_keys(Subscriber), {}),
    "change_policy": (_keys(ChangePolicy), {}),
}
_DOCUMENT: _Spec = (_keys(ContractDefinition), _NESTED)


def _ordered(value: Any, spec: _Spec) -> Any:
    if isinstance(value, list):
        return [_ordered(item, spec) for item in value]
    if not isinstance(value, dict):
        return value
    order, nested = spec
    out = {}
    for key in order:
        if key in value:
            item = value[key]
            out[key] = _ordered(item, nested[key]) if key in nested else item
    if len(out) != len(value):  # keys outside the model (never expected) are kept
        out.update((k, v) for k, v in value.items() if k not in out)
    return out


def ordered_document(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = _ordered(document, _DOCUMENT)
    return result
