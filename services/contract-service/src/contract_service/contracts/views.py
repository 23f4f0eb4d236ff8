"""Response bodies built from stored rows.

A contract body is the stored document plus read-only keys. The current document is kept
serialized (``contracts.document_json``), so a read splices bytes instead of decoding,
reordering and encoding the document again.
"""

from __future__ import annotations

from typing import Any

import orjson

from contract_service.compliance.summary import compliance_summary
from contract_service.compliance.visibility import masked_latest, sees_details
from contract_service.contracts.models import Contract
from contract_service.contracts.ordering import ordered_document
from contract_service.contracts.repository import View, ViewRow
from datapact_common.tokens import Principal

__all__ = ["contract_bytes", "contract_view", "list_bytes", "ordered_document"]


def _head(row: View | ViewRow | Contract, detailed: bool) -> bytes:
    latest = row.compliance if detailed else masked_latest(row.compliance)
    head = orjson.dumps(
        {
            "id": str(row.id),
            "created_at": row.created_at,
            "updated_at": row.updated_at,
            "compliance": compliance_summary(latest),
        }
    )
    return head[:-1]  # without the closing brace


def contract_bytes(row: View | ViewRow | Contract, reader: Principal | None) -> bytes:
    """The JSON body of one contract as ``reader`` sees it: a check that could not reach
    the data service says why only to the publisher team, admins and services."""
    return _body(row, sees_details(reader, row.publisher_team))


def _body(row: View | ViewRow | Contract, detailed: bool) -> bytes:
    document = row.document_json.encode()
    return _head(row, detailed) + b"," + document[1:]


def list_bytes(
    key: str, rows: list[ViewRow], extra: dict[str, Any], reader: Principal | None
) -> bytes:
    """``{"<key>": [contract...], **extra}`` as JSON."""
    items = b",".join(contract_bytes(row, reader) for row in rows)
    return b'{"' + key.encode() + b'":[' + items + b"]," + orjson.dumps(extra)[1:]


def contract_view(row: View | ViewRow | Contract) -> dict[str, Any]:
    """The body of one contract as a dict, every detail included (for callers of the
    service layer, not for responses)."""
    body: dict[str, Any] = orjson.loads(_body(row, detailed=True))
    return body
