"""The API loads the broker's client at start-up, without connecting to the broker.

In a fresh interpreter: in this one, any earlier test that sent a task has loaded the same
modules already."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

PRELOAD = """
import json, sys
from datapact_common.enqueue import TaskQueue
watched = ("kombu.transport.redis", "celery.app.task")
before = [m for m in watched if m in sys.modules]
queue = TaskQueue(lambda: "redis://127.0.0.1:%d/0", lambda: "unused")
queue.preload()
print(json.dumps({"before": before, "after": [m for m in watched if m in sys.modules]}))
"""


@pytest.fixture
def broker() -> Iterator[socket.socket]:
    """A listening socket for the broker's address: any connection attempt lands in its
    backlog, where the test finds it."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        yield listener


def test_preload_loads_the_transport_without_connecting(broker: socket.socket) -> None:
    port = broker.getsockname()[1]
    done = subprocess.run(
        [sys.executable, "-c", PRELOAD % port],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert modules["before"] == []
    assert "kombu.transport.redis" in modules["after"]
    assert "celery.app.task" in modules["after"]
    with pytest.raises(BlockingIOError):  # nothing connected to the broker
        broker.accept()
