"""A pool child forked while the sweep thread sends must not inherit a held kombu lock.

kombu's cached_property takes one lock per property, shared by every instance, on each read
(Python < 3.12). The worker's SweepTimer thread sends through Celery (``Celery.amqp`` and
more) while the prefork pool forks its children; a child forked in that instant held the
lock for good and hung on its first send: the first ``process_events`` of a fresh worker
(the hang behind the monitor's agent-to-mail e2e failure). A fork now waits for the send.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

# In a process of its own (pytest's has threads of its own to fork with): a thread does what
# the SweepTimer does on each send, frozen inside Celery.amqp's lock until a moment later;
# the main thread forks meanwhile, and the child sends (reads Celery.amqp) as a task does.
_SCRIPT = """
import os, sys, threading
from celery import Celery
from notification_service import celery_app  # the fork guard of the worker's app

inside = threading.Event()

def sending():
    with celery_app._sending, Celery.amqp.lock:
        inside.set()
        threading.Event().wait(0.2)

threading.Thread(target=sending, daemon=True).start()
inside.wait()
pid = os.fork()
if pid == 0:
    Celery("child", broker="memory://", set_as_current=False).amqp
    os._exit(0)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_a_child_forked_during_a_sweep_send_can_send() -> None:
    process = subprocess.Popen([sys.executable, "-c", _SCRIPT], start_new_session=True)
    try:
        returncode = process.wait(timeout=120)
    except subprocess.TimeoutExpired:  # the bug: the child never returns
        os.killpg(process.pid, signal.SIGKILL)  # the script and its forked child
        process.wait()
        raise AssertionError("the forked child hung on a lock held by the sweep thread") from None
    assert returncode == 0
