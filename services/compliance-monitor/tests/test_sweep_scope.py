"""What a sweep reaches: every active contract on every page, each service once, and only
allow-listed hosts."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import psycopg
import pytest

from compliance_monitor.config import Settings
from compliance_monitor.errors import UpstreamUnavailableError
from compliance_monitor.monitoring.sweep import SweepKind
from datapact_testing.http_sink import HttpSink
from datapact_testing.loopback import LoopbackServer
from datapact_testing.postgres import sync_dsn
from datapact_testing.processes import free_port
from datapact_testing.tokens import admin_token, bearer

Sweep = Callable[..., Any]
PAGED = 505


async def register_many(base_url: str, documents: list[dict[str, Any]]) -> list[str]:
    limit = asyncio.Semaphore(8)
    async with httpx.AsyncClient(base_url=base_url, headers=bearer(admin_token()), timeout=60) as c:

        async def one(document: dict[str, Any]) -> str:
            async with limit:
                response = await c.post("/api/v1/contracts", json=document)
            assert response.status_code == 201, response.text
            return str(response.json()["id"])

        return list(await asyncio.gather(*(one(d) for d in documents)))


async def test_every_active_contract_is_checked_across_pages(
    registry: Any,
    make_document: Callable[..., dict[str, Any]],
    make_schema: Callable[..., dict[str, Any]],
    sweep: Sweep,
) -> None:
    with HttpSink(response_body=json.dumps(make_schema()).encode()) as data_service:
        documents = [
            make_document(
                name=f"paged_{i:04d}",
                table="customers",
                access={"endpoint_url": data_service.url},
            )
            for i in range(PAGED)
        ]
        ids = await register_many(registry.base_url, documents)
        draft = make_document(name="paged_draft", status="draft", table="customers")
        registry.register({**draft, "access": {"endpoint_url": data_service.url}})

        summary = await sweep(SweepKind.SCHEMA)

        assert (summary["contracts"], summary["checked"], summary["recorded"]) == (
            PAGED,
            PAGED,
            PAGED,
        )
        assert summary["results"]["pass"] == PAGED
        # One /schema request served all 505 contracts (on one table): the service does not
        # page (no "paged": true), so its answer to the first page is its whole document.
        assert [(r.method, r.path) for r in data_service.received()] == [
            ("GET", "/schema?tables=customers")
        ]
    for contract_id in (ids[0], ids[250], ids[-1]):
        assert registry.latest(contract_id, "schema")["status"] == "pass"


async def test_a_host_outside_the_allow_list_is_never_contacted(
    registry: Any,
    make_document: Callable[..., dict[str, Any]],
    make_schema: Callable[..., dict[str, Any]],
    settings: Settings,
    sweep: Sweep,
) -> None:
    with HttpSink(response_body=json.dumps(make_schema()).encode()) as target:
        # The listener's host is allowed, but on another port only.
        other_port = f"127.0.0.1:{free_port()},localhost:*"
        only_localhost = settings.model_copy(update={"compliance_allowed_hosts": other_port})
        refused = registry.register(
            make_document(name="internal_probe", access={"endpoint_url": target.url})
        )
        metadata = registry.register(
            make_document(
                name="cloud_metadata",
                access={"endpoint_url": "http://169.254.169.254/latest/meta-data"},
            )
        )
        for kind in (SweepKind.SCHEMA, SweepKind.QUALITY, SweepKind.AVAILABILITY):
            summary = await sweep(kind, only_localhost)
            assert summary["errored"] == 2
        assert target.received() == []

    listener = target.url.removeprefix("http://").rstrip("/")
    for contract_id, host in ((refused, listener), (metadata, "169.254.169.254:80")):
        for check_type in ("schema", "freshness", "completeness", "uniqueness", "availability"):
            check = registry.latest(contract_id, check_type)
            assert check["status"] == "error"
            assert check["error_message"].startswith(f"host not allowed: '{host}'")


async def test_a_contract_without_an_endpoint_is_not_polled(
    registry: Any, make_document: Callable[..., dict[str, Any]], sweep: Sweep
) -> None:
    document = make_document(name="no_endpoint")
    del document["access"]
    contract_id = registry.register(document)
    summary = await sweep(SweepKind.SCHEMA)
    assert (summary["contracts"], summary["checked"], summary["skipped"]) == (1, 0, 1)
    assert registry.checks(contract_id) == []


async def test_an_unreachable_contract_service_fails_the_sweep_loudly(
    settings: Settings, sweep: Sweep
) -> None:
    nowhere = settings.model_copy(
        update={"contract_service_url": f"http://127.0.0.1:{free_port()}"}
    )
    with pytest.raises(UpstreamUnavailableError, match="contract-service unreachable"):
        await sweep(SweepKind.SCHEMA, nowhere)


async def test_a_data_service_answering_garbage_is_an_error(
    registry: Any, make_document: Callable[..., dict[str, Any]], sweep: Sweep
) -> None:
    with HttpSink(response_body=b"<html>not json</html>") as garbage:
        contract_id = registry.register(
            make_document(name="garbage", access={"endpoint_url": garbage.url})
        )
        await sweep(SweepKind.SCHEMA)
        garbage.status = 500
        await sweep(SweepKind.QUALITY)
    schema = registry.latest(contract_id, "schema")
    assert schema["status"] == "error"
    assert "response is not JSON" in schema["error_message"]
    freshness = registry.latest(contract_id, "freshness")
    assert freshness["status"] == "error"
    assert freshness["error_message"].endswith("/metrics: HTTP 500")


async def test_a_service_that_does_not_publish_the_contract_is_an_error(
    registry: Any, make_document: Callable[..., dict[str, Any]], sweep: Sweep
) -> None:
    metrics = {"service": "other", "datasets": {"someone_else": {"row_count": 1}}}
    with HttpSink(response_body=json.dumps(metrics).encode()) as service:
        contract_id = registry.register(
            make_document(name="unpublished", access={"endpoint_url": service.url})
        )
        summary = await sweep(SweepKind.QUALITY)
    assert summary["errored"] == 1
    for check_type in ("freshness", "completeness", "uniqueness"):
        check = registry.latest(contract_id, check_type)
        assert check["status"] == "error"
        assert "reports no dataset 'unpublished'" in check["error_message"]


def store_endpoint_url(database: str, placeholder: str, url: str) -> None:
    """Put ``url`` into a stored contract as-is, as a registry that validated less once did."""
    with psycopg.connect(sync_dsn(database), autocommit=True) as conn:
        conn.execute(
            "UPDATE contracts SET document = replace(document::text, %(old)s, %(new)s)::jsonb,"
            " document_json = replace(document_json, %(old)s, %(new)s)",
            {"old": placeholder, "new": url},
        )


async def test_an_unusable_endpoint_url_is_an_error_and_the_sweep_goes_on(
    registry: Any,
    contracts_database: str,
    make_document: Callable[..., dict[str, Any]],
    make_schema: Callable[..., dict[str, Any]],
    sweep: Sweep,
) -> None:
    """A port like ``abc`` made httpx raise InvalidURL, which ended every sweep (and every
    other contract's checks) with a crash. The registry now refuses such ports; contracts
    stored before it did (written here in the database) must not stop the sweep either."""
    with HttpSink(response_body=json.dumps(make_schema()).encode()) as service:
        good = registry.register(
            make_document(name="good", table="customers", access={"endpoint_url": service.url})
        )
        # the registry takes a query string but refuses these ports; both were once stored
        with_query = registry.register(
            make_document(name="query", access={"endpoint_url": "http://127.0.0.1:8003?x=1"})
        )
        bad_ports = {}
        for i, url in enumerate(["http://127.0.0.1:abc", "http://127.0.0.1:99999"]):
            placeholder = f"http://placeholder-{i}.invalid"
            document = make_document(name=f"bad_{i}", access={"endpoint_url": placeholder})
            bad_ports[registry.register(document)] = url
            store_endpoint_url(contracts_database, placeholder, url)
        for kind in (SweepKind.SCHEMA, SweepKind.QUALITY, SweepKind.AVAILABILITY):
            summary = await sweep(kind)
            assert summary["contracts"] == 4, summary  # every contract seen: no crash
    assert registry.latest(good, "schema")["status"] == "pass"
    for check_type in ("schema", "freshness", "availability"):
        check = registry.latest(with_query, check_type)
        assert check["status"] == "error"
        assert check["error_message"].startswith("endpoint_url 'http://127.0.0.1:8003?x=1'")
    for contract_id, url in bad_ports.items():  # unreadable today: one schema error says why
        check = registry.latest(contract_id, "schema")
        assert check["status"] == "error"
        assert "the registered document is invalid" in check["error_message"]
        assert f"endpoint_url {url!r} is not a valid URL" in check["error_message"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            b'{"tables": {}, "datasets": {"odd": {"freshness": {"seconds_since_update": NaN}}}}',
            "NaN is not JSON",
        ),
        (b'{"datasets": {"odd": {"row_count": Infinity}}}', "Infinity is not JSON"),
        (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    ],
    ids=["nan", "infinity", "deeply-nested"],
)
async def test_json_python_accepts_but_json_is_not_is_an_error_for_that_service_alone(
    registry: Any,
    make_document: Callable[..., dict[str, Any]],
    make_schema: Callable[..., dict[str, Any]],
    sweep: Sweep,
    body: bytes,
    reason: str,
) -> None:
    """NaN made format_seconds raise and deep nesting a RecursionError: the sweep crashed."""
    with (
        HttpSink(response_body=json.dumps(make_schema()).encode()) as good_service,
        HttpSink(response_body=body) as odd_service,
    ):
        good = registry.register(
            make_document(name="good", table="customers", access={"endpoint_url": good_service.url})
        )
        odd = registry.register(
            make_document(name="odd", table="customers", access={"endpoint_url": odd_service.url})
        )
        await sweep(SweepKind.SCHEMA)
        await sweep(SweepKind.QUALITY)
    assert registry.latest(good, "schema")["status"] == "pass"
    for check_type in ("schema", "freshness", "completeness", "uniqueness"):
        check = registry.latest(odd, check_type)
        assert check["status"] == "error"
        assert check["error_message"].endswith(reason)


async def test_a_service_dribbling_its_answer_is_cut_off_by_the_request_timeout(
    registry: Any,
    make_document: Callable[..., dict[str, Any]],
    make_schema: Callable[..., dict[str, Any]],
    settings: Settings,
    sweep: Sweep,
) -> None:
    """httpx's timeout bounds each read; a byte every 0.2 s never trips it, so a valid answer
    that takes 8 s used to pass with a 1 s MONITOR_HTTP_TIMEOUT_SECONDS."""
    document = json.dumps(make_schema()).encode()
    stop = threading.Event()

    class Dribble(LoopbackServer):
        def handle(self, request: BaseHTTPRequestHandler) -> None:
            request.send_response(200)
            request.send_header("content-type", "application/json")
            request.end_headers()
            for _ in range(40):
                if stop.is_set():
                    return
                request.wfile.write(b" ")
                request.wfile.flush()
                time.sleep(0.2)
            request.wfile.write(document)

    server = Dribble().start()
    try:
        contract_id = registry.register(
            make_document(name="dribbling", access={"endpoint_url": server.url})
        )
        quick = settings.model_copy(update={"http_timeout": 1.0, "http_retries": 0})
        await sweep(SweepKind.SCHEMA, quick)
        await sweep(SweepKind.AVAILABILITY, quick)
    finally:
        stop.set()
        server.stop()
    schema = registry.latest(contract_id, "schema")
    assert schema["status"] == "error"
    assert "timed out" in schema["error_message"]
    availability = registry.latest(contract_id, "availability")
    assert availability["status"] == "fail"
    assert "timed out" in availability["error_message"]
