"""Finding: twenty run-now requests of one team against a slow endpoint delayed every other
team's run-now (one shared concurrency limit).

Run-now now admits MONITOR_RUN_NOW_PER_TEAM runs per publisher team (429 with the reason
beyond) and does not queue behind the sweeps' shared limit; a run over
MONITOR_RUN_NOW_BUDGET_SECONDS reports `error: timed out` for what it could not finish,
never a pass.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from datapact_testing.http_sink import HttpSink
from datapact_testing.processes import ServiceProcess, uvicorn_process
from datapact_testing.tokens import bearer, publisher_token

FLOOD = 20
PER_TEAM = 2
# Guards against a hang if a bug admits too many runs; never a measured duration.
HANG_GUARD_SECONDS = 120


class SlowDataService:
    """A loopback data service holding every request until ``release`` is set."""

    def __init__(self, body: bytes) -> None:
        self.release = threading.Event()
        self.arrived = threading.Semaphore(0)
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                gate.arrived.release()
                gate.release.wait(timeout=HANG_GUARD_SECONDS)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def schema_body(make_schema: Callable[..., dict[str, Any]]) -> bytes:
    return json.dumps(make_schema()).encode()


@pytest.fixture
def slow(schema_body: bytes) -> Iterator[SlowDataService]:
    service = SlowDataService(schema_body)
    yield service
    service.close()


@pytest.fixture
def start_api(
    process_env: Callable[..., dict[str, str]],
    tmp_path: Path,
    launch: Callable[[ServiceProcess], ServiceProcess],
) -> Callable[..., ServiceProcess]:
    def start(**extra: str) -> ServiceProcess:
        env = process_env(MONITOR_RUN_NOW_PER_TEAM=str(PER_TEAM), **extra)
        return launch(
            uvicorn_process("monitor-api", "compliance_monitor.main:app", env=env, cwd=tmp_path)
        )

    return start


def of_team(make_document: Callable[..., dict[str, Any]], team: str, url: str) -> dict[str, Any]:
    return make_document(
        name=f"{team.replace('-', '_')}_customers",
        table="customers",
        publisher={"team": team, "owner": f"{team}-owner"},
        access={"endpoint_url": url},
    )


async def test_one_team_flooding_a_slow_endpoint_does_not_delay_another(
    registry: Any,
    make_document: Callable[..., dict[str, Any]],
    schema_body: bytes,
    slow: SlowDataService,
    start_api: Callable[..., ServiceProcess],
) -> None:
    api = start_api(MONITOR_HTTP_TIMEOUT_SECONDS="300", MONITOR_RUN_NOW_BUDGET_SECONDS="600")
    flooded = registry.register(of_team(make_document, "team-a", slow.url))
    with HttpSink(response_body=schema_body) as fast:
        other = registry.register(of_team(make_document, "team-b", fast.url))
        async with httpx.AsyncClient(base_url=api.base_url or "", timeout=600) as client:
            team_a = bearer(publisher_token("team-a"))
            flood = [
                asyncio.create_task(client.post(f"/api/v1/checks/{flooded}/run", headers=team_a))
                for _ in range(FLOOD)
            ]
            async with asyncio.timeout(HANG_GUARD_SECONDS):
                for _ in range(PER_TEAM):  # the admitted runs, held by the slow service
                    await asyncio.to_thread(slow.arrived.acquire)
                refused: list[httpx.Response] = []
                pending: set[asyncio.Task[httpx.Response]] = set(flood)
                while len(refused) < FLOOD - PER_TEAM:
                    done, pending = await asyncio.wait(pending, return_when="FIRST_COMPLETED")
                    refused += [task.result() for task in done]
            assert [r.status_code for r in refused] == [429] * (FLOOD - PER_TEAM)
            assert "team 'team-a' already has 2 run-now" in refused[0].json()["detail"]
            assert int(refused[0].headers["Retry-After"]) > 0

            # Team A's runs are still held; the API answers, and team B's run completes.
            assert len(pending) == PER_TEAM and not any(task.done() for task in pending)
            assert (await client.get("/health")).status_code == 200
            team_b = bearer(publisher_token("team-b"))
            answer = await client.post(f"/api/v1/checks/{other}/run", headers=team_b)
            assert answer.status_code == 200, answer.text
            results = {r["check_type"]: r["status"] for r in answer.json()["results"]}
            assert results["schema"] == "pass"
            assert not any(task.done() for task in pending)

            slow.release.set()
            for response in await asyncio.gather(*pending):
                assert response.status_code == 200, response.text
                statuses = {r["check_type"]: r["status"] for r in response.json()["results"]}
                assert statuses["schema"] == "pass"


async def test_a_run_over_its_budget_is_timed_out_never_passed(
    registry: Any,
    make_document: Callable[..., dict[str, Any]],
    slow: SlowDataService,
    start_api: Callable[..., ServiceProcess],
) -> None:
    api = start_api(MONITOR_HTTP_TIMEOUT_SECONDS="300", MONITOR_RUN_NOW_BUDGET_SECONDS="1")
    contract_id = registry.register(of_team(make_document, "team-a", slow.url))
    team_a = bearer(publisher_token("team-a"))
    async with httpx.AsyncClient(base_url=api.base_url or "", timeout=600) as client:
        for _ in range(PER_TEAM + 1):  # each run gives its place back when it times out
            answer = await client.post(f"/api/v1/checks/{contract_id}/run", headers=team_a)
            assert answer.status_code == 200, answer.text
            results = answer.json()["results"]
            assert {r["check_type"] for r in results} >= {"schema", "availability"}
            for result in results:
                assert result["status"] == "error", result
                assert result["error_message"].startswith("timed out"), result
    recorded = registry.latest(contract_id, "schema")
    assert (recorded["status"], recorded["error_message"][:9]) == ("error", "timed out")
