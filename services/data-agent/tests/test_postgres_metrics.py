"""Every promise counted on real PostgreSQL: each planted violation is found, with samples
of its primary key only; clean data is clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def checks_by_id(dataset: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["id"]: check for check in dataset["checks"]}


@pytest.fixture
async def metrics(agent_client: Any, shop_url: str, shop_contracts: Path) -> dict[str, Any]:
    async with agent_client(database_url=shop_url, contracts=shop_contracts) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["protocol"] == 2
    return body


def test_each_planted_violation_is_counted_with_key_samples(
    metrics: dict[str, Any], check_planted: Callable[..., None]
) -> None:
    check_planted(metrics)


def test_kept_promises_count_zero(metrics: dict[str, Any]) -> None:
    films = checks_by_id(metrics["datasets"]["films"])
    assert films["id:not_null"]["violations"] == 0
    assert films["id:unique"]["violations"] == 0
    assert films["title:min_length"]["violations"] == 0
    assert films["price:max"]["violations"] == 0
    payments = checks_by_id(metrics["datasets"]["payments"])
    assert payments["(id, paid_on):unique"]["violations"] == 0
    assert payments["customer_id:foreign_key"]["violations"] == 0


def test_clean_data_reports_every_rule_clean(
    metrics: dict[str, Any], kept: Callable[..., None]
) -> None:
    clean = metrics["datasets"]["clean_items"]
    assert clean["errors"] == []
    rules = {c["rule"] for c in clean["checks"]}
    assert rules >= {"not_null", "unique", "min", "max", "min_length", "max_length", "regex"}
    assert rules >= {"enum", "expression", "foreign_key"}
    assert rules >= {"present", "type"}
    for check in clean["checks"]:
        kept(check)
        assert check["samples"] is None, check
    assert clean["freshness"]["seconds_since_update"] is not None


def test_samples_never_carry_pii_or_other_columns(metrics: dict[str, Any]) -> None:
    customers = metrics["datasets"]["customers"]
    assert customers["sample_key"] == ["id"]
    for check in customers["checks"]:
        for sample in check["samples"] or []:
            assert set(sample) == {"id"}
    text = str(metrics)
    assert "not-an-address" not in text and "Far Longer" not in text


def test_protocol_one_keys_are_kept(metrics: dict[str, Any]) -> None:
    customers = metrics["datasets"]["customers"]
    assert customers["row_count"] == 6
    assert customers["completeness"]["name"] == {"non_null": 5, "ratio": 5 / 6}
    assert customers["uniqueness"]["email"]["duplicates"] == 0
    assert customers["freshness"]["column"] == "updated_at"
    assert customers["freshness"]["seconds_since_update"] < 3600
    payments = metrics["datasets"]["payments"]
    assert payments["uniqueness"]["(id, paid_on)"]["duplicates"] == 0


def test_one_scan_per_table_when_every_promise_is_kept(metrics: dict[str, Any]) -> None:
    # clean_items: the aggregate scan, plus its one foreign key's anti-join; no samples.
    assert metrics["datasets"]["clean_items"]["queries"] == 2


async def test_requests_arriving_together_share_one_measurement(
    agent_client: Any, shop_url: str, shop_contracts: Path
) -> None:
    import asyncio

    async with agent_client(database_url=shop_url, contracts=shop_contracts) as client:
        first, second = await asyncio.gather(client.get("/metrics"), client.get("/metrics"))
        later = await client.get("/metrics")
    assert first.json()["generated_at"] == second.json()["generated_at"]
    assert later.json()["generated_at"] != first.json()["generated_at"]
