"""The one ``/health`` shape (datapact_common.web.health), as an assertion."""

from __future__ import annotations

import httpx


def assert_healthy(response: httpx.Response, service: str, **dependencies: str) -> None:
    """200 ``{"status": "healthy", "service": service, "dependencies": dependencies}``."""
    assert response.status_code == 200, response.text
    expected = {"status": "healthy", "service": service, "dependencies": dependencies}
    assert response.json() == expected
