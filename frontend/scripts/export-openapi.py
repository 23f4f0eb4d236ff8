"""Writes each service's OpenAPI document to src/types/openapi/<service>.json, from the
services' code (no running service needed); `npm run gen:api` then turns them into types.

    ../.venv/bin/python scripts/export-openapi.py
"""

from __future__ import annotations

import importlib
import os

from datapact_testing.openapi import render, snapshot_path

APPS = {
    "contracts": "contract_service.main",
    "dictionary": "dictionary_service.main",
    "notifications": "notification_service.main",
    "monitor": "compliance_monitor.main",
}


def main() -> None:
    os.environ.setdefault("ENVIRONMENT", "test")  # development defaults, no secrets needed
    for name, module in APPS.items():
        document = importlib.import_module(module).app.openapi()
        snapshot_path(name).write_text(render(document), encoding="utf-8")
        print(f"{name}: {len(document['paths'])} paths")


if __name__ == "__main__":
    main()
