"""The dashboard's types are generated from, and checked against, this service's OpenAPI
document as frontend/src/types/openapi/monitor.json holds it: that copy must be current."""

from __future__ import annotations

from datapact_testing.openapi import assert_snapshot_current


def test_the_dashboards_copy_of_the_openapi_document_is_current() -> None:
    from compliance_monitor.main import app

    assert_snapshot_current(app.openapi(), "monitor")
