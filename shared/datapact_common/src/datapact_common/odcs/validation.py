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

DataPact exports v3.1.0 and v3.2.0 (:data:`EXPORT_VERSIONS`), each checked against its own
official schema; the default is the newest the package validates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from datapact_common.odcs.verbatim import unknown_keys

if TYPE_CHECKING:
    import jsonschema

# jsonschema is imported by the first check, not with this module: the contract service
# imports the ODCS package for its diffs and never checks a document until one is imported
# or exported.

_VENDORED_VERSION = "v3.1.0"
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


class OdcsVersion(StrEnum):
    """The ODCS versions DataPact writes."""

    V3_1_0 = "v3.1.0"  # the vendored official schema
    V3_2_0 = "v3.2.0"  # the schema of the open-data-contract-standard package


EXPORT_VERSIONS: tuple[str, ...] = tuple(
    v for v in OdcsVersion if v == _VENDORED_VERSION or v in _api_versions(package_schema())
)
# The newest the official package validates.
EXPORT_API_VERSION = OdcsVersion(EXPORT_VERSIONS[-1])


def export_schema(api_version: str) -> dict[str, Any]:
    """The official schema an export declaring ``api_version`` must validate against."""
    if api_version not in EXPORT_VERSIONS:
        raise ValueError(f"ODCS {api_version} cannot be exported; use one of {EXPORT_VERSIONS}")
    return vendored_schema() if api_version == _VENDORED_VERSION else package_schema()


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
    import jsonschema

    validator = jsonschema.Draft201909Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    return _unique(f"{_path(e)}: {e.message}" for e in errors)


@dataclass
class DocumentCheck:
    """What the official schema says of a document: errors, warnings about ignored keys,
    and where those keys are (``(path, keys)``), so they can be left out."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ignored: list[tuple[list[Any], list[str]]] = field(default_factory=list)


def inspect_document(doc: Any) -> DocumentCheck:
    """Check an ODCS document; unknown nested keys are only warnings (and listed)."""
    if not isinstance(doc, dict):
        kind = type(doc).__name__
        return DocumentCheck([f"(document): an ODCS document must be a mapping, got {kind}"])
    schema = schema_for(doc.get("apiVersion"))
    import jsonschema

    validator = jsonschema.Draft201909Validator(schema)
    check = DocumentCheck()
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        line = f"{_path(error)}: {error.message}"
        if _is_unknown_key(error) and error.absolute_path:
            check.warnings.append(f"{line} (ignored)")
            keys = unknown_keys(error.instance, error.message)
            check.ignored.append((list(error.absolute_path), keys))
        else:
            check.errors.append(line)
    # Keys a failed sub-schema did not "evaluate" are reported as unexpected too; with real
    # errors present those reports are noise, so they are dropped.
    if any("Additional properties" in e for e in check.errors):
        check.errors = [e for e in check.errors if "Unevaluated properties" not in e]
    check.errors = _unique(check.errors)
    check.warnings = [] if check.errors else _unique(check.warnings)
    return check


def check_document(doc: Any) -> tuple[list[str], list[str]]:
    """``(errors, warnings)`` of an ODCS document; unknown nested keys are only warnings."""
    check = inspect_document(doc)
    return check.errors, check.warnings


def _unique(lines: Any) -> list[str]:
    return list(dict.fromkeys(lines))
