"""OpenAPI for routes that read their body themselves (JSON or YAML documents)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
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


def install_document_schemas(app: FastAPI, models: list[type[BaseModel]]) -> None:
    """Add the schemas that ``document_body`` refers to to the app's OpenAPI components."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        _, top = models_json_schema(
            [(model, "validation") for model in models],
            ref_template="#/components/schemas/{model}" + _SUFFIX,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in top.get("$defs", {}).items():
            components[name + _SUFFIX] = definition
        # Validation failures answer {"detail": "...", "errors": [...]} (errors.py), not
        # FastAPI's default shape.
        if "HTTPValidationError" in components and "ErrorBody" in components:
            components["HTTPValidationError"] = {"$ref": "#/components/schemas/ErrorBody"}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
