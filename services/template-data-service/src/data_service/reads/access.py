"""Who may see a dataset's PII fields: exactly what the contract says.

A field marked ``is_pii`` is returned only to a caller whose token names the publisher's
team, or a subscriber team whose ``fields_used`` lists the field (an empty ``fields_used``
means every field), or an ``admin``. Everyone else gets ``null`` for it and its name in
``redacted_fields``. Non-PII fields are open to every reader.
"""

from __future__ import annotations

from datapact_common.contract_schema import ContractDefinition
from datapact_common.tokens import Principal


def visible_pii(contract: ContractDefinition, principal: Principal | None) -> set[str]:
    pii = {f.name for f in contract.schema_fields if f.is_pii}
    if not pii or principal is None:
        return set()
    if principal.is_admin or contract.publisher.team in principal.teams:
        return pii
    allowed: set[str] = set()
    for subscriber in contract.subscribers:
        if subscriber.team in principal.teams:
            allowed |= pii if not subscriber.fields_used else pii & set(subscriber.fields_used)
    return allowed
