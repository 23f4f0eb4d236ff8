"""Every route of an app, as a request that reaches it, read from its OpenAPI document (so
a route added later is covered without naming it here)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class RouteCall:
    method: str
    template: str  # as declared: /api/v1/contracts/{contract_id}
    url: str  # with its path parameters filled in

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


def route_calls(app: FastAPI) -> list[RouteCall]:
    calls = []
    for template, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            values = {
                p["name"]: _value(p.get("schema") or {})
                for p in operation.get("parameters", [])
                if p.get("in") == "path"
            }
            calls.append(RouteCall(method.upper(), template, template.format(**values)))
    return calls


def _value(schema: dict[str, Any]) -> str:
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    if schema.get("format") == "email":
        return "someone@corp.example"
    return "x"
