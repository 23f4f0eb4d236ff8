"""The dictionary's own database is missing: clear 503s, never a 500, and the nudge still
answers (its background pass fails and is logged)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from datapact_testing.polling import eventually
from datapact_testing.postgres import async_url
from datapact_testing.processes import ServiceProcess, uvicorn_process
from datapact_testing.tokens import admin_token, bearer


@pytest.fixture(scope="module")
def without_database() -> Iterator[ServiceProcess]:
    env = {
        "DICTIONARY_DATABASE_URL": async_url("no_such_dictionary_database"),
        "ENVIRONMENT": "test",
        "CONTRACT_SERVICE_URL": "http://127.0.0.1:9",
    }
    process = uvicorn_process("dictionary-nodb", "dictionary_service.main:app", env=env)
    process.health_url = None  # /health is expected to fail here
    process.start()
    try:
        yield process
    finally:
        process.stop()


def wait_until_listening(process: ServiceProcess) -> None:
    eventually(
        lambda: httpx.get(f"{process.base_url}/openapi.json", timeout=1),
        "the API listening",
        ignoring=(httpx.HTTPError,),
        diagnose=process.logs,
    )


@pytest.mark.parametrize(
    "path",
    [
        "/health",
        "/api/v1/dictionary",
        "/api/v1/dictionary/search?q=customer",
        "/api/v1/dictionary/datasets",
        "/api/v1/dictionary/datasets/orders",
        "/api/v1/erd",
        "/api/v1/erd/mermaid",
    ],
)
def test_reads_answer_503(without_database: ServiceProcess, path: str) -> None:
    wait_until_listening(without_database)
    response = httpx.get(f"{without_database.base_url}{path}", timeout=10)
    assert response.status_code == 503, response.text
    body = response.json()
    assert body.get("detail") or body["dependencies"]["database"].startswith("unavailable: ")


def test_nudge_still_answers(without_database: ServiceProcess) -> None:
    wait_until_listening(without_database)
    response = httpx.post(
        f"{without_database.base_url}/api/v1/dictionary/sync",
        headers=bearer(admin_token()),
        timeout=10,
    )
    assert response.status_code == 202
