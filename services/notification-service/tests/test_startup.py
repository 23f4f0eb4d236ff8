"""The API loads the broker's client at start-up, without connecting to the broker."""

from __future__ import annotations

import sys

from datapact_common.enqueue import TaskQueue


def test_preload_loads_the_transport_without_connecting() -> None:
    # Port 1: nothing listens there, so a connection attempt would raise.
    queue = TaskQueue(lambda: "redis://127.0.0.1:1/0", lambda: "unused")
    queue.preload()
    assert "kombu.transport.redis" in sys.modules
    assert "celery.app.task" in sys.modules
