"""The monitor reads a data agent a page at a time: a real agent over real PostgreSQL tables,
the real contract-service, pages of two contracts (three tables). Every contract is checked
from its own page; a page that cannot be read is an error for each of its contracts, never a
pass; a service that refuses the page parameter is read whole."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from compliance_monitor.clients.data_services import DataServiceClient
from compliance_monitor.clients.http import ResponseError
from compliance_monitor.monitoring import recorder as recorder_module
from compliance_monitor.monitoring import sweep as sweep_module
from compliance_monitor.monitoring.sweep import SweepKind
from datapact_common.yaml_io import dump_yaml_documents
from datapact_testing.processes import ServiceProcess

TABLES = 5


def document(n: int) -> dict[str, Any]:
    return {
        "name": f"paged_{n}",
        "version": "1.0.0",
        "publisher": {"team": "logistics", "owner": "pages"},
        "table": f"box_{n}",
        "schema": [
            {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
            {"name": "qty", "data_type": "integer", "constraints": [{"type": "min", "value": 0}]},
        ],
        "quality": [{"metric_type": "completeness", "threshold": "90%"}],
        "access": {"endpoint_url": "http://127.0.0.1:1"},
    }


@pytest.fixture
def boxes_agent(
    data_agent: Callable[[str, str, Path], ServiceProcess], tmp_path: Path
) -> ServiceProcess:
    """The data agent over ``box_0`` … ``box_4``: every promise kept, but ``box_4`` has a
    row below ``min 0``."""
    statements = []
    for n in range(TABLES):
        statements.append(f"CREATE TABLE box_{n} (id integer PRIMARY KEY, qty integer)")
        statements.append(f"INSERT INTO box_{n} VALUES (1, 3), (2, {-1 if n == 4 else 5})")
    contracts = tmp_path / "boxes.yaml"
    contracts.write_text(dump_yaml_documents([document(n) for n in range(TABLES)]))
    return data_agent("test_monitor_pages", ";\n".join(statements), contracts)


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """Pages of two names; every request the monitor makes of a data service, listed."""
    monkeypatch.setattr(sweep_module, "PAGE_SIZES", {"/metrics": 2, "/schema": 2})
    made: list[tuple[str, str | None]] = []
    real = DataServiceClient.document

    async def spy(
        self: DataServiceClient, base: str, path: str, params: Mapping[str, str] | None = None
    ) -> Mapping[str, Any]:
        made.append((path, ",".join(params.values()) if params else None))
        return await real(self, base, path, params)

    monkeypatch.setattr(DataServiceClient, "document", spy)
    return made


# the error a read is lost with on its way back, by its parameters (None: it arrives)
Fault = Callable[[Mapping[str, str] | None], str | None]


@pytest.fixture
def fail_reads(
    requests: list[tuple[str, str | None]], monkeypatch: pytest.MonkeyPatch
) -> Callable[[Fault], None]:
    """``fail_reads(fault)``: from now on every read of a data service is still made (and
    listed in ``requests``), then lost on the way back where ``fault`` names an error."""
    listed = DataServiceClient.document

    def install(fault: Fault) -> None:
        async def read(
            self: DataServiceClient, base: str, path: str, params: Mapping[str, str] | None = None
        ) -> Mapping[str, Any]:
            error = fault(params)
            answer = await listed(self, base, path, params)
            if error is not None:
                raise ResponseError(error)
            return answer

        monkeypatch.setattr(DataServiceClient, "document", read)

    return install


def register_boxes(registry: Any, agent: ServiceProcess) -> dict[str, str]:
    """The five contracts the agent serves, and one it does not serve."""
    ids = {}
    for n in range(TABLES + 1):
        body = document(n)
        body["access"]["endpoint_url"] = agent.base_url
        ids[body["name"]] = registry.register(body)
    return ids


async def test_each_contract_is_checked_from_its_page(
    registry: Any,
    boxes_agent: ServiceProcess,
    requests: list[tuple[str, str | None]],
    sweep: Callable[..., Any],
) -> None:
    ids = register_boxes(registry, boxes_agent)
    schema = await sweep(SweepKind.SCHEMA)
    quality = await sweep(SweepKind.QUALITY)

    metrics_pages = sorted(names or "" for path, names in requests if path == "/metrics")
    schema_pages = sorted(names or "" for path, names in requests if path == "/schema")
    assert len(metrics_pages) == len(schema_pages) == 3  # 6 contracts, 2 a page
    assert sorted(",".join(metrics_pages).split(",")) == sorted(ids)
    assert sorted(",".join(schema_pages).split(",")) == sorted(f"box_{n}" for n in range(6))

    assert schema["results"] == {"pass": 5, "fail": 1, "warning": 0, "error": 0}
    assert registry.latest(ids["paged_5"], "schema")["status"] == "fail"  # no table box_5
    for n in range(TABLES):
        assert registry.latest(ids[f"paged_{n}"], "schema")["status"] == "pass"
        completeness = registry.latest(ids[f"paged_{n}"], "completeness")
        assert completeness["status"] == "pass"
    [broken] = [c for c in registry.checks(ids["paged_4"], "validity") if c["rule"] == "qty:min"]
    assert broken["status"] == "fail" and broken["details"]["violations"] == 1
    unserved = registry.checks(ids["paged_5"])
    assert {c["status"] for c in unserved if c["check_type"] != "schema"} == {"error"}
    assert any("reports no dataset 'paged_5'" in (c["error_message"] or "") for c in unserved)
    assert quality["results"]["error"] >= 1 and quality["results"]["fail"] == 1


async def test_a_page_that_cannot_be_read_is_an_error_for_its_contracts(
    registry: Any,
    boxes_agent: ServiceProcess,
    sweep: Callable[..., Any],
    fail_reads: Callable[[Fault], None],
) -> None:
    ids = register_boxes(registry, boxes_agent)
    lost: set[str] = set()

    def timed_out(params: Mapping[str, str] | None) -> str | None:
        names = (params or {}).get("contracts", "")
        if "paged_2" not in names.split(","):
            return None
        lost.update(names.split(","))
        return "timed out (ReadTimeout)"

    fail_reads(timed_out)
    await sweep(SweepKind.QUALITY)

    assert "paged_2" in lost and 1 < len(lost) <= 2
    for name in lost:
        results = registry.checks(ids[name])
        assert results and {c["status"] for c in results} == {"error"}, name
        assert all("/metrics: timed out" in c["error_message"] for c in results)
    for name in {f"paged_{n}" for n in range(4)} - lost:
        assert registry.latest(ids[name], "completeness")["status"] == "pass"


async def test_a_service_that_refuses_pages_is_read_whole(
    registry: Any,
    boxes_agent: ServiceProcess,
    requests: list[tuple[str, str | None]],
    sweep: Callable[..., Any],
    fail_reads: Callable[[Fault], None],
) -> None:
    ids = register_boxes(registry, boxes_agent)
    fail_reads(lambda params: "HTTP 422" if params else None)
    summary = await sweep(SweepKind.QUALITY)

    assert [names is None for _, names in requests] == [False, True]  # a page, then whole
    assert summary["results"]["fail"] == 1
    for n in range(TABLES):
        assert registry.latest(ids[f"paged_{n}"], "completeness")["status"] == "pass"


async def test_results_are_recorded_while_later_pages_are_fetched(
    registry: Any,
    boxes_agent: ServiceProcess,
    requests: list[tuple[str, str | None]],
    sweep: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The last page is read only once the first page's results are in the registry: a
    sweep that recorded after its last page would wait here in vain."""
    monkeypatch.setattr(recorder_module, "FLUSH_RESULTS", 1)
    monkeypatch.setattr(sweep_module, "PAGES_IN_FLIGHT", 1)
    ids = register_boxes(registry, boxes_agent)
    spy = DataServiceClient.document
    first_recorded_before_last_page: list[bool] = []

    async def first_recorded() -> bool:
        for _ in range(100):
            if await asyncio.to_thread(registry.checks, ids["paged_0"], "completeness"):
                return True
            await asyncio.sleep(0.2)
        return False

    async def last_page_waits(
        self: DataServiceClient, base: str, path: str, params: Mapping[str, str] | None = None
    ) -> Mapping[str, Any]:
        if "paged_5" in (params or {}).get("contracts", "").split(","):
            first_recorded_before_last_page.append(await first_recorded())
        return await spy(self, base, path, params)

    monkeypatch.setattr(DataServiceClient, "document", last_page_waits)
    summary = await sweep(SweepKind.QUALITY)

    assert first_recorded_before_last_page == [True]
    assert [names for path, names in requests][-1] == "paged_4,paged_5"
    assert summary["results"]["fail"] == 1
    assert summary["recorded"] == sum(summary["results"].values())  # errors are recorded too
