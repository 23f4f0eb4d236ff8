"""OpenAPI adjustments: bodies the routes read themselves (JSON or YAML documents) and
optional auth on read routes (the error bodies: datapact_common.web.errors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

_SUFFIX = "Body"
DOCUMENT_MEDIA_TYPES = ("application/json", "application/yaml")


def document_body(model: type[BaseModel], description: str) -> dict[str, Any]:
    """``openapi_extra`` declaring a JSON-or-YAML request body of ``model``."""
    ref = {"$ref": f"#/components/schemas/{model.__name__}{_SUFFIX}"}
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {media: {"schema": ref} for media in DOCUMENT_MEDIA_TYPES},
        }
    }


def _uses(dependant: Dependant, call: Callable[..., Any]) -> bool:
    # ==, not `is`: a bound method (auth.require_token) is a new object at each access
    return any(d.call == call or _uses(d, call) for d in dependant.dependencies)


BEARER = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT",
    "description": "DataPact token (`datapact token create`)",
}


def customize_openapi(
    app: FastAPI,
    routers: list[APIRouter],
    document_models: list[type[BaseModel]],
    required_auth: list[Callable[..., Any]],
    optional_auth: list[Callable[..., Any]],
) -> None:
    """Wrap ``app.openapi``: add the ``document_body`` schemas and declare the bearer token
    on the routes (of ``routers``, included without a further prefix) that depend on one of
    ``required_auth`` (required) or ``optional_auth``."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        _, top = models_json_schema(
            [(model, "validation") for model in document_models],
            ref_template="#/components/schemas/{model}" + _SUFFIX,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in top.get("$defs", {}).items():
            components[name + _SUFFIX] = definition
        schema["components"].setdefault("securitySchemes", {})["BearerToken"] = BEARER
        routes = [route for router in routers for route in router.routes]
        for route in routes:
            if not isinstance(route, APIRoute):
                continue
            security: list[dict[str, list[str]]] = []
            if any(_uses(route.dependant, call) for call in required_auth):
                security = [{"BearerToken": []}]
            elif any(_uses(route.dependant, call) for call in optional_auth):
                security = [{}, {"BearerToken": []}]
            for method in route.methods or ():
                operation = schema["paths"].get(route.path_format, {}).get(method.lower())
                if operation is not None and security:
                    operation["security"] = security
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
