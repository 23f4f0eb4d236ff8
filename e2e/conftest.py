"""Fixtures of the end-to-end tests: the whole platform, started once per session.

Scenario modules whose tests are ordered steps mark them ``@pytest.mark.incremental``: once a
step fails, the later steps of that module are reported as skipped rather than failing for
the same reason again.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from typing import Any

import pytest

from e2e.harness import REPORT, Stack, running_stack

# A SIGTERM (CI cancelling the job, `timeout`) unwinds like Ctrl-C, so the session's
# finalizers stop every process they started.
signal.signal(signal.SIGTERM, signal.default_int_handler)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "incremental: ordered steps; skip the rest after a failure")


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> None:
    if call.excinfo is not None and item.get_closest_marker("incremental") is not None:
        parent = item.parent
        if parent is not None and call.excinfo.typename != "Skipped":
            parent._e2e_failed = item.name  # type: ignore[attr-defined]


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("incremental") is not None:
        failed = getattr(item.parent, "_e2e_failed", None)
        if failed is not None:
            pytest.skip(f"an earlier step failed ({failed})")


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    with running_stack() as running:
        yield running


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in REPORT:
        terminalreporter.write_line(f"e2e {line}")
