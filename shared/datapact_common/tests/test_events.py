"""The event envelope: typed payloads, defaults, and what it refuses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from datapact_common.events import (
    PAYLOAD_MODELS,
    ContractUpdatedPayload,
    EventEnvelope,
    EventSeverity,
    EventType,
    PrBlockedPayload,
    QualityBreachPayload,
)


def _event(**overrides: Any) -> EventEnvelope:
    data: dict[str, Any] = {
        "type": "quality_breach",
        "source": "compliance-monitor",
        "contract_name": "orders",
        "contract_version": "1.2.0",
        "severity": "critical",
        "title": "orders completeness below 99.5%",
        "payload": {
            "check_type": "completeness",
            "expected": "99.5%",
            "actual": "97%",
            "fields": ["email"],
        },
    }
    data.update(overrides)
    return EventEnvelope.model_validate(data)


def test_defaults() -> None:
    event = _event()
    assert isinstance(event.id, uuid.UUID)
    assert event.occurred_at.tzinfo is not None
    assert event.dedup_key == "quality_breach:orders"
    assert event.severity is EventSeverity.CRITICAL
    assert event.affected_fields == ["email"]


def test_each_event_gets_its_own_id() -> None:
    assert _event().id != _event().id


def test_an_explicit_dedup_key_is_kept() -> None:
    assert _event(dedup_key="orders:completeness:email").dedup_key == "orders:completeness:email"


def test_payload_is_validated_and_typed() -> None:
    event = _event()
    payload = event.typed_payload()
    assert isinstance(payload, QualityBreachPayload)
    assert payload.actual == "97%"
    # Defaults of the payload model are filled into the stored payload.
    assert event.payload["details"] == {}


def test_payload_of_wrong_shape_is_refused() -> None:
    with pytest.raises(ValidationError, match="check_type"):
        _event(payload={"expected": "99%"})


def test_contract_updated_payload_carries_the_change_list() -> None:
    event = _event(
        type="contract_updated",
        severity="warning",
        payload={
            "old_version": "1.2.0",
            "new_version": "2.0.0",
            "changed_by": "alice",
            "required_bump": "major",
            "changes": [
                {
                    "kind": "field_removed",
                    "severity": "breaking",
                    "field": "email",
                    "message": "field 'email' removed",
                    "affected_subscribers": ["marketing"],
                },
            ],
        },
    )
    payload = event.typed_payload()
    assert isinstance(payload, ContractUpdatedPayload)
    assert payload.changes[0].affected_subscribers == ["marketing"]
    assert event.dedup_key == "contract_updated:orders"


def test_pr_blocked_needs_the_pull_request() -> None:
    with pytest.raises(ValidationError, match="pull_request"):
        _event(type="pr_blocked", payload={"reasons": ["breaking"]})
    event = _event(
        type="pr_blocked",
        payload={"pull_request": {"repository": "acme/shop", "number": 7}, "reasons": ["x"]},
    )
    assert isinstance(event.typed_payload(), PrBlockedPayload)


def test_every_type_has_a_payload_model() -> None:
    assert set(PAYLOAD_MODELS) == set(EventType)
    assert {t.value for t in EventType} == {
        "schema_drift", "quality_breach", "availability_breach", "compliance_recovered",
        "pr_blocked", "breaking_change_proposed", "contract_updated", "deprecation_warning",
    }  # fmt: skip


def test_unknown_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="type"):
        _event(type="something_happened")


def test_unknown_envelope_keys_are_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        _event(priority="high")


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        _event(occurred_at=datetime(2024, 1, 1, 12, 0))


@pytest.mark.parametrize("field", ["source", "contract_name", "title"])
def test_required_text_must_not_be_empty(field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        _event(**{field: ""})


def test_unknown_severity_is_refused() -> None:
    with pytest.raises(ValidationError, match="severity"):
        _event(severity="fatal")


def test_json_round_trip() -> None:
    event = _event(occurred_at=datetime(2024, 5, 1, 8, 30, tzinfo=UTC))
    again = EventEnvelope.model_validate_json(event.model_dump_json())
    assert again == event
    assert event.model_dump(mode="json")["occurred_at"] == "2024-05-01T08:30:00Z"


def test_severity_rank() -> None:
    assert EventSeverity.INFO.rank < EventSeverity.WARNING.rank < EventSeverity.CRITICAL.rank
