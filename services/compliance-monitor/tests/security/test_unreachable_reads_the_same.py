"""Finding: check results told a closed port, a port that does not speak HTTP and an HTTP
port answering garbage apart, to anyone who could read them: the monitor was a port
scanner of the allow-listed hosts.

Real sockets: nothing listening, a raw TCP listener, an HTTP listener answering HTML. To
anyone but the publisher team, admins and services, the three read alike: same statuses,
and "data service unreachable or not speaking the protocol" for every message.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from compliance_monitor.checks import check_availability
from compliance_monitor.checks.availability_checker import Probe, Uptime
from compliance_monitor.clients.data_services import NOT_THE_PROTOCOL
from compliance_monitor.monitoring.sweep import SweepKind
from compliance_monitor.reporters.events import breach_event
from datapact_common.checks import UNREACHABLE_DATA_SERVICE
from datapact_testing.http_sink import HttpSink
from datapact_testing.processes import ServiceProcess, free_port
from datapact_testing.tokens import bearer, publisher_token

MASKED = UNREACHABLE_DATA_SERVICE
TEAM = "prober"
Sweep = Callable[..., Any]


class RawTcpListener:
    """Accepts connections, says something that is not HTTP, and hangs up."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.socket.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except OSError:
                continue
            with conn:
                conn.sendall(b"SSH-2.0-OpenSSH_9.6 not http at all\r\n")

    def close(self) -> None:
        self._stop.set()
        self.socket.close()


@pytest.fixture
def raw_tcp() -> Iterator[RawTcpListener]:
    listener = RawTcpListener()
    yield listener
    listener.close()


def summary_of(entry: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {
        check_type: (check["status"], check["error_message"])
        for check_type, check in entry["compliance"]["checks"].items()
    }


async def test_closed_raw_and_garbage_ports_read_alike_to_other_readers(
    registry: Any,
    make_document: Callable[..., dict[str, Any]],
    contract_service: ServiceProcess,
    raw_tcp: RawTcpListener,
    sweep: Sweep,
) -> None:
    closed_url = f"http://127.0.0.1:{free_port()}"
    with HttpSink(response_body=b"<html><body>It works!</body></html>") as garbage:
        ids = {
            kind: registry.register(
                make_document(
                    name=f"probe_{kind}",
                    table="customers",
                    publisher={"team": TEAM, "owner": "mallory"},
                    access={"endpoint_url": url},
                )
            )
            for kind, url in (("closed", closed_url), ("raw", raw_tcp.url), ("http", garbage.url))
        }
        for sweep_kind in (SweepKind.SCHEMA, SweepKind.QUALITY, SweepKind.AVAILABILITY):
            await sweep(sweep_kind)

    readers = {
        "anonymous": {},
        "another team": bearer(publisher_token("bystanders")),
    }
    async with httpx.AsyncClient(base_url=contract_service.base_url or "", timeout=30) as api:
        for reader, headers in readers.items():
            bodies = {
                kind: (await api.get(f"/api/v1/contracts/{cid}", headers=headers)).json()
                for kind, cid in ids.items()
            }
            seen = {kind: summary_of(body) for kind, body in bodies.items()}
            assert seen["closed"] == seen["raw"] == seen["http"], reader
            assert {message for _, message in seen["closed"].values()} == {MASKED}, reader

            histories: dict[str, list[tuple[str, str, str, str]]] = {}
            for kind, cid in ids.items():
                response = await api.get(f"/api/v1/contracts/{cid}/compliance", headers=headers)
                histories[kind] = sorted(
                    (c["check_type"], c["status"], c["error_message"], repr(c["details"]))
                    for c in response.json()["checks"]
                )
            assert histories["closed"] == histories["raw"] == histories["http"], reader
            assert {row[2] for row in histories["closed"]} == {MASKED}, reader

            summary = await api.get(
                "/api/v1/compliance/summary", params={"team": TEAM}, headers=headers
            )
            checks = [
                {t: (c["status"], c["error_message"]) for t, c in entry["checks"].items()}
                for entry in summary.json()["contracts"]
            ]
            assert len(checks) == 3 and checks[0] == checks[1] == checks[2], reader
            assert {message for _, message in checks[0].values()} == {MASKED}, reader

            listed = await api.get("/api/v1/contracts", params={"team": TEAM}, headers=headers)
            assert {
                message
                for body in listed.json()["contracts"]
                for _, message in summary_of(body).values()
            } == {MASKED}, reader

        # The publisher team keeps what happened, port by port.
        own = bearer(publisher_token(TEAM))
        detailed = {
            kind: summary_of((await api.get(f"/api/v1/contracts/{cid}", headers=own)).json())
            for kind, cid in ids.items()
        }
    assert detailed["closed"]["schema"][1] != detailed["raw"]["schema"][1]
    assert detailed["raw"]["schema"][1] != detailed["http"]["schema"][1]
    assert "cannot connect" in (detailed["closed"]["schema"][1] or "")
    assert "not JSON" in (detailed["http"]["schema"][1] or "")
    assert MASKED not in {message for _, message in detailed["http"].values()}


def test_availability_alerts_read_alike_too(make_contract: Callable[..., Any]) -> None:
    """Breach events reach every subscriber and the notification list: the same rule."""
    contract = make_contract()
    endpoint = "http://127.0.0.1:8003"
    probes = [
        Probe(endpoint, ok=False, error="cannot connect: All connection attempts failed"),
        Probe(endpoint, ok=False, error="RemoteProtocolError: illegal status line"),
        Probe(endpoint, ok=False, status_code=200, error=f"answered 200 {NOT_THE_PROTOCOL}"),
        Probe(endpoint, ok=False, status_code=404, error="HTTP 404"),
    ]
    events = [
        breach_event(contract, "id", check_availability(contract, probe, Uptime(0, 1, 60)))
        for probe in probes
    ]
    assert len({(e.title, repr(e.payload)) for e in events}) == 1
    assert events[0].title.endswith(MASKED) and events[0].payload["error"] == MASKED
