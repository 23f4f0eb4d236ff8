"""Deliveries whose queue message or worker got lost are picked up again."""

from __future__ import annotations

from typing import Any

from contract_service.enqueue import SWEEP_TASK
from contract_service.github.tasks import sweep
from contract_service.worker import celery_app


def test_the_sweep_is_on_the_beat_schedule_beside_the_outbox_relay() -> None:
    schedule = celery_app.conf.beat_schedule
    assert schedule["github-delivery-sweep"]["task"] == SWEEP_TASK
    assert schedule["github-delivery-sweep"]["options"]["queue"] == "contracts"
    assert "contract-outbox-relay" in schedule


async def test_sweep_finds_waiting_and_stale_deliveries_only(sql: Any) -> None:
    rows = [
        ("fresh", "received", "now()"),
        ("waiting", "received", "now() - interval '5 minutes'"),
        ("retrying", "received", "now() - interval '5 minutes'"),
        ("working", "processing", "now() - interval '5 minutes'"),
        ("stuck", "processing", "now() - interval '2 hours'"),
        ("done", "processed", "now() - interval '2 hours'"),
        ("broken", "failed", "now() - interval '2 hours'"),
    ]
    for delivery, status, received in rows:
        sql(
            "INSERT INTO webhook_deliveries (id, delivery_id, event, status, attempts, payload,"
            f" received_at) VALUES (gen_random_uuid(), %s, 'push', %s, %s, '{{}}', {received})",
            delivery,
            status,
            1 if delivery == "retrying" else 0,
        )
    found = await sweep()
    ids = dict(sql("SELECT id::text, delivery_id FROM webhook_deliveries"))
    assert sorted(ids[i] for i in found) == ["stuck", "waiting"]
