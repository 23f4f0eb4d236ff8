"""Readable failures when the registry is unreachable, failing or not a registry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from datapact_testing.http_sink import HttpSink
from datapact_testing.processes import free_port

Cli = Callable[..., Result]


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    with HttpSink() as server:
        yield server


def test_connection_refused(cli: Cli) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = cli("--url", url, "pull", "orders")
    assert result.exit_code == 5
    assert result.stderr.startswith(f"error: cannot reach the registry at {url}: ")
    assert "Traceback" not in result.output


def test_url_from_the_environment(cli: Cli) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = cli("pull", "orders", env={"DATAPACT_URL": url})
    assert f"cannot reach the registry at {url}" in result.stderr


def test_server_error(cli: Cli, sink: HttpSink) -> None:
    sink.status = 503
    sink.response_body = b'{"detail": "the contract database is unavailable; retry shortly"}'
    result = cli("--url", sink.url, "pull", "orders")
    assert result.exit_code == 5
    assert (
        "registry error 503 on GET /api/v1/contracts/name/orders: the contract database"
        in result.stderr
    )


def test_an_answer_that_is_not_json(cli: Cli, sink: HttpSink) -> None:
    sink.response_body = b"<html>hello</html>"
    result = cli("--url", sink.url, "pull", "orders")
    assert result.exit_code == 5
    assert "is --url pointing at the contract-service?" in result.stderr


def test_an_answer_that_is_no_contract(cli: Cli, sink: HttpSink) -> None:
    sink.response_body = b'{"ok": true}'
    result = cli("--url", sink.url, "pull", "orders")
    assert result.exit_code == 5
    assert f"the registry at {sink.url} sent a document that is not a valid contract" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "body", [b'{"detail": "Not Found"}', b"<html>404</html>"], ids=["starlette", "html"]
)
@pytest.mark.parametrize("command", [["pull", "orders"], ["push", "orders.yaml"]])
def test_a_404_for_the_route_is_not_a_missing_contract(
    cli: Cli,
    sink: HttpSink,
    write: Callable[..., Path],
    orders_doc: dict[str, Any],
    body: bytes,
    command: list[str],
) -> None:
    """Before: with --url pointing at a path or another server, pull said "contract 'orders'
    not found" and push "Not Found", both exit 3, as if the registry lacked the contract."""
    write("orders.yaml", orders_doc)
    sink.status = 404
    sink.response_body = body
    result = cli("--url", f"{sink.url}/api", "--token", "t", *command)
    assert result.exit_code == 5, result.output
    assert f"the server at {sink.url}/api has no GET /api/api/v1/contracts/name/orders" in (
        result.stderr
    )
    assert "is --url the contract-service's address, without a path?" in result.stderr


def test_slow_registry_times_out(cli: Cli, tmp_path: Path) -> None:
    import socket

    with socket.socket() as listener:  # accepts connections, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        result = cli("--url", url, "--timeout", "0.3", "pull", "orders")
    assert result.exit_code == 5
    assert f"the registry at {url} did not answer in time" in result.stderr


def test_a_refusal_shows_the_servers_detail_and_field_errors(cli: Cli, sink: HttpSink) -> None:
    sink.status = 422
    sink.response_body = (
        b'{"detail": "invalid request: path.name: too long",'
        b' "errors": [{"loc": "path.name", "message": "too long", "type": "string_too_long"}]}'
    )
    result = cli("--url", sink.url, "pull", "orders")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: refused (422): invalid request: path.name: too long",
        "  path.name: too long",
    ]
