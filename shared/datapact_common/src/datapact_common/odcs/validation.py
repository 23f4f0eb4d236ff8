"""Checking documents against the official ODCS JSON schemas.

Two official schemas are used, both written by the standard's authors:

- the v3.1.0 schema (vendored in ``schemas/``, from bitol-io/open-data-contract-standard:
  ``schema/odcs-json-schema-v3.1.0.json``). It is backward compatible with v3.0.x documents
  and fixes defects of the v3.0.x schemas that real v3.0.x examples trip over, so every
  document declaring v3.1.0 or older is checked against it. It is also the version DataPact
  exports.
- the schema shipped in the ``open-data-contract-standard`` package (the newest release),
  for documents that declare a newer ``apiVersion``.

Unknown keys below the document root are tolerated (ignored, reported as warnings): real
ODCS files carry vendor keys such as ODCS v2's ``isNullable``. Every other violation is an
error.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

EXPORT_API_VERSION = "v3.1.0"
_VENDORED_SCHEMA = "odcs-json-schema-v3.1.0.json"


@cache
def vendored_schema() -> dict[str, Any]:
    """The official ODCS v3.1.0 JSON schema."""
    text = resources.files(__package__).joinpath("schemas", _VENDORED_SCHEMA).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def package_schema() -> dict[str, Any]:
    """The JSON schema shipped with the ``open-data-contract-standard`` package."""
    text = resources.files("open_data_contract_standard").joinpath("schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _api_versions(schema: dict[str, Any]) -> list[str]:
    return list(schema["properties"]["apiVersion"].get("enum", []))


def schema_for(api_version: Any) -> dict[str, Any]:
    """The official schema a document declaring ``api_version`` is checked against."""
    newer = isinstance(api_version, str) and api_version not in _api_versions(vendored_schema())
    if newer and api_version in _api_versions(package_schema()):
        return package_schema()
    return vendored_schema()


def _path(error: jsonschema.ValidationError) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return path.lstrip(".") or "(document)"


def _is_unknown_key(error: jsonschema.ValidationError) -> bool:
    return error.validator in ("additionalProperties", "unevaluatedProperties")


def schema_errors(doc: Any, schema: dict[str, Any] | None = None) -> list[str]:
    """Every violation of ``schema`` (default: the one for the document's version) as
    ``"path: message"`` lines, unknown nested keys included."""
    if schema is None:
        schema = schema_for(doc.get("apiVersion") if isinstance(doc, dict) else None)
    validator = jsonschema.Draft201909Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    return _unique(f"{_path(e)}: {e.message}" for e in errors)


def check_document(doc: Any) -> tuple[list[str], list[str]]:
    """``(errors, warnings)`` of an ODCS document; unknown nested keys are only warnings."""
    if not isinstance(doc, dict):
        return [f"(document): an ODCS document must be a mapping, got {type(doc).__name__}"], []
    schema = schema_for(doc.get("apiVersion"))
    validator = jsonschema.Draft201909Validator(schema)
    errors: list[str] = []
    warnings: list[str] = []
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        line = f"{_path(error)}: {error.message}"
        if _is_unknown_key(error) and error.absolute_path:
            warnings.append(f"{line} (ignored)")
        else:
            errors.append(line)
    # Keys a failed sub-schema did not "evaluate" are reported as unexpected too; with real
    # errors present those reports are noise, so they are dropped.
    if any("Additional properties" in e for e in errors):
        errors = [e for e in errors if "Unevaluated properties" not in e]
    return _unique(errors), ([] if errors else _unique(warnings))


def _unique(lines: Any) -> list[str]:
    return list(dict.fromkeys(lines))
