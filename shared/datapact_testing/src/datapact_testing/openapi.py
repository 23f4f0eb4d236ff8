"""The dashboard's copy of a service's OpenAPI document (frontend/src/types/openapi/), which
its TypeScript types are generated from and checked against, must be the service's own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[4]
SNAPSHOTS = REPO / "frontend" / "src" / "types" / "openapi"
REGENERATE = "cd frontend && npm run gen:api"


def snapshot_path(name: str) -> Path:
    return SNAPSHOTS / f"{name}.json"


def render(document: dict[str, Any]) -> str:
    """The file's exact text (what scripts/export-openapi.py writes)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def assert_snapshot_current(document: dict[str, Any], name: str) -> None:
    path = snapshot_path(name)
    assert path.exists(), f"{path} is missing: run `{REGENERATE}`"
    committed = json.loads(path.read_text(encoding="utf-8"))
    if committed == document:
        return
    changed = sorted(
        f"paths {p}"
        for p in set(document["paths"]) | set(committed["paths"])
        if document["paths"].get(p) != committed["paths"].get(p)
    ) + sorted(
        f"schema {s}"
        for s in set(_schemas(document)) | set(_schemas(committed))
        if _schemas(document).get(s) != _schemas(committed).get(s)
    )
    raise AssertionError(
        f"{path.relative_to(REPO)} is not this service's OpenAPI document any more "
        f"({', '.join(changed[:12]) or 'metadata'}): run `{REGENERATE}` and commit the result"
    )


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    components: dict[str, Any] = document.get("components") or {}
    return components.get("schemas") or {}
