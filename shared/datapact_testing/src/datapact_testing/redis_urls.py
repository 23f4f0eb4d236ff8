"""The Redis each test suite uses: one server, one database number per suite.

``DATAPACT_TEST_REDIS`` (default ``redis://127.0.0.1:6379``) names the server, so two
checkouts can run their suites at the same time against two Redis servers without taking
each other's Celery messages. The numbers are in docs/conventions.md ("Redis databases").
"""

from __future__ import annotations

import os

DEFAULT_SERVER = "redis://127.0.0.1:6379"


def suite_redis_url(database: int) -> str:
    """The URL of database ``database`` on the test Redis server."""
    if not 0 <= database <= 15:
        raise ValueError(f"Redis database {database} is outside 0-15")
    server = os.environ.get("DATAPACT_TEST_REDIS", DEFAULT_SERVER).rstrip("/")
    return f"{server}/{database}"
