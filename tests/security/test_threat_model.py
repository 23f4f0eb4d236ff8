"""docs/security.md, "Who may call which route": every cell of its table, against the apps.

A cell is a status (401, 403) or ``passes``: the route takes that caller, and what it then
answers depends on the request. The requests here are built to fail right after the token
check (an id that is no UUID, an empty JSON object for a body), so a caller that passes gets
a 4xx of its own and no data is touched.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jwt
import pytest

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Service
from datapact_testing.tokens import admin_token, bearer, internal_service_token, publisher_token
from tests.security.conftest import Client

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
SECTION = "## Who may call which route"
ORIGIN = "http://data.internal:8443"


def _origin_bound(_: Service) -> dict[str, str]:
    now = int(time.time())
    claims = {"sub": "service:compliance-monitor", "scopes": ["service"], "aud": ORIGIN,
              "iss": "datapact", "iat": now, "exp": now + 300}  # fmt: skip
    return bearer(jwt.encode(claims, DEVELOPMENT_SECRET, algorithm="HS256"))


def _service(caller: Service) -> Callable[[Service], dict[str, str]]:
    return lambda api: bearer(internal_service_token(caller, api))


# The table's columns: who calls, as the headers it sends to the row's API.
CALLERS: dict[str, Callable[[Service], dict[str, str]]] = {
    "no token": lambda _: {},
    "user write token": lambda _: bearer(publisher_token("commerce")),
    "admin token": lambda _: bearer(admin_token()),
    "monitor": _service(Service.MONITOR),
    "contract-service": _service(Service.CONTRACTS),
    "dictionary": _service(Service.DICTIONARY),
    "notification": _service(Service.NOTIFICATIONS),
    "data-service credential": _origin_bound,
}


@dataclass(frozen=True)
class Cell:
    method: str
    path: str
    api: Service
    caller: str
    expected: str

    def __str__(self) -> str:
        return f"{self.caller} → {self.method} {self.path} ({self.api.value})"


def _cells() -> list[Cell]:
    lines = DOC.read_text(encoding="utf-8").split(SECTION, 1)[1].splitlines()
    rows = [line for line in lines if line.startswith("| ")]
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    assert header[:2] == ["route", "API"] and header[2:] == list(CALLERS), header
    cells = []
    for row in rows[1:]:
        values = [c.strip() for c in row.strip("|").split("|")]
        if len(values) != len(header) or values[0] == "route":
            break
        method, path = values[0].strip("`").split(" ", 1)
        api = Service(values[1])
        callers = zip(header[2:], values[2:], strict=True)
        cells += [Cell(method, path, api, caller, value) for caller, value in callers]
    return cells


CELLS = _cells()


class _IdleSyncRunner:
    """The dictionary's sync runner, for the nudge (what a nudge does is the dictionary's
    own suite's)."""

    running = False
    pending = False

    def nudge(self) -> None:
        self.pending = True


def test_the_table_is_read() -> None:
    assert len({(c.method, c.path) for c in CELLS}) >= 6
    assert {c.expected for c in CELLS} <= {"401", "403", "passes"}


@pytest.mark.parametrize("cell", CELLS, ids=str)
async def test_cell(client: Client, cell: Cell) -> None:
    async with client(cell.api) as app:
        state = app.app.state
        if cell.api is Service.DICTIONARY and not hasattr(state, "sync_runner"):
            state.sync_runner = _IdleSyncRunner()
        if cell.api is Service.MONITOR and not hasattr(state, "monitor"):
            state.monitor = object()  # never used: the id is no UUID, so run-now stops at 422
        url = re.sub(r"\{[a-z_]*id\}", "not-a-uuid", cell.path)
        response = await app.http.request(
            cell.method,
            url,
            headers=CALLERS[cell.caller](cell.api),
            json={},
        )
    if cell.expected == "passes":
        assert response.status_code not in (401, 403), f"{cell}: {response.text}"
        assert response.status_code < 500, f"{cell}: {response.text}"
    else:
        assert response.status_code == int(cell.expected), f"{cell}: {response.text}"
        assert response.json()["detail"], cell
