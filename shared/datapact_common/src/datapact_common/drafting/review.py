"""What a drafted contract still asks a person to confirm.

``datapact init`` lists each guess and placeholder under ``metadata.review`` (one line each;
the person deletes a line once it is settled). ``datapact validate`` prints them, together
with a publisher still left at the placeholders, whether or not a review line says so.
"""

from __future__ import annotations

from datapact_common.contract_schema import ContractDefinition
from datapact_common.drafting.generate import (
    PLACEHOLDER_OWNER,
    PLACEHOLDER_TEAM,
    REVIEW_KEY,
    placeholder_review,
)


def review_items(contract: ContractDefinition) -> list[str]:
    """The contract's open review lines, the placeholder publisher first."""
    listed = contract.metadata.get(REVIEW_KEY)
    items = [str(item) for item in listed] if isinstance(listed, list) else []
    if isinstance(listed, str):
        items = [listed]
    placeholders = [
        key
        for key, value, placeholder in (
            ("team", contract.publisher.team, PLACEHOLDER_TEAM),
            ("owner", contract.publisher.owner, PLACEHOLDER_OWNER),
        )
        if value == placeholder
    ]
    items = [item for item in items if not item.startswith("publisher:")]
    if placeholders:
        items.insert(0, placeholder_review(placeholders))
    return items
