"""Every value rule end to end: violations planted in a real PostgreSQL table, served by
the data agent (protocol 2) → monitor sweep → results recorded in the contract-service →
exactly one e-mail per broken rule at the SMTP sink, none on the next sweep.

Marked ``e2e`` (five processes and a Celery worker: well over 30 s on this machine)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from compliance_monitor.config import Settings
from compliance_monitor.monitoring.sweep import SweepKind
from datapact_common.documents import load_contracts
from datapact_testing.processes import ServiceProcess
from datapact_testing.smtp import SmtpSink

FIXTURE = Path(__file__).parent / "fixtures" / "parcels"
pytestmark = pytest.mark.e2e

# rule id → (rows breaking it, sample primary keys), as planted in parcels.sql
PLANTED = {
    "weight_kg:min": (2, [{"id": 3}, {"id": 4}]),
    "weight_kg:max": (1, [{"id": 5}]),
    "code:min_length": (1, [{"id": 6}]),
    "code:max_length": (1, [{"id": 7}]),
    "email:regex": (1, [{"id": 8}]),
    "status:enum": (1, [{"id": 9}]),
    "insured_value:expression:0": (1, [{"id": 10}]),
    "owner_id:foreign_key": (1, [{"id": 11}]),
}
# ODCS quality rules: rule id → the recorded message (also the e-mail's subject's end)
QUALITY = {
    "status:quality:0": "`status`: invalidValues 9.090909%, expected <= 5 %",
    "(table):quality:0": "table: sql query returned 1, expected = 0",
}


@pytest.fixture
def parcels_agent(data_agent: Callable[[str, str, Path], ServiceProcess]) -> ServiceProcess:
    """The data agent (``datapact-agent serve``) over a database with the planted rows."""
    planted = (FIXTURE / "parcels.sql").read_text(encoding="utf-8")
    return data_agent("test_monitor_parcels", planted, FIXTURE / "contracts.yaml")


async def test_each_broken_rule_is_recorded_and_mailed_once(
    registry: Any,
    parcels_agent: ServiceProcess,
    notification_service: tuple[ServiceProcess, SmtpSink],
    settings: Settings,
    sweep: Callable[..., Any],
    settled: Callable[..., list[dict[str, Any]]],
) -> None:
    api, mailbox = notification_service
    real = settings.model_copy(update={"notification_service_url": api.base_url})
    ids = {}
    for contract in load_contracts((FIXTURE / "contracts.yaml").read_text(encoding="utf-8")):
        document = contract.to_document(exclude_defaults=True)
        document["access"]["endpoint_url"] = parcels_agent.base_url
        ids[contract.name] = registry.register(document)

    broken = len(PLANTED) + len(QUALITY)
    first = await sweep(SweepKind.QUALITY, real)
    assert (first["events"], first["events_delivered"]) == (broken, broken)
    parcels = ids["e2e_parcels"]
    recorded = {c["rule"]: c for c in registry.checks(parcels, "validity")}
    assert set(recorded) == set(PLANTED) | set(QUALITY)
    for rule, message in QUALITY.items():
        assert (recorded[rule]["status"], recorded[rule]["error_message"]) == ("fail", message)
    for rule, (rows, samples) in PLANTED.items():
        check = recorded[rule]
        assert check["status"] == "fail", check
        assert check["details"]["violations"] == rows
        assert check["details"]["samples"] == samples  # primary keys, nothing else
    assert recorded["weight_kg:min"]["error_message"] == "`weight_kg`: 2 rows below min 0"
    validity = registry.contract(parcels)["compliance"]["checks"]["validity"]
    assert validity["status"] == "fail" and set(validity["rules"]) == set(PLANTED) | set(QUALITY)

    again = await sweep(SweepKind.QUALITY, real)
    assert again["events"] == 0  # still broken: recorded, not re-alerted

    sent = settled(api, "e2e_parcels", broken, within=180)  # 10 events, a loaded worker
    mailbox.wait_for(broken)
    assert [n["recipient"] for n in sent if n["status"] == "sent"] == [
        "parcels-data@example.com"
    ] * broken
    subjects = sorted(str(m["Subject"]) for m in mailbox.messages)
    assert len(subjects) == broken  # exactly one e-mail per broken rule
    for message in QUALITY.values():
        assert sum(message.split(",")[0] in s for s in subjects) == 1, subjects
    for rule, (rows, _) in PLANTED.items():
        field = rule.split(":")[0]
        [subject] = [s for s in subjects if f"`{field}`: {rows} row" in s and _kind(rule) in s]
        assert "e2e_parcels" in subject


def _kind(rule: str) -> str:
    """The words a rule's message uses (``weight_kg:min`` → ``below min``)."""
    words = {
        "min": "below min", "max": "above max", "min_length": "shorter than min_length",
        "max_length": "longer than max_length", "regex": "not matching regex",
        "enum": "not in enum", "expression": "where this is false",
        "foreign_key": "without a match",
    }  # fmt: skip
    return words[rule.split(":")[1]]
