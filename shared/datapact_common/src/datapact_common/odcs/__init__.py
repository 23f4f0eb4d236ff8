"""ODCS v3 (Open Data Contract Standard) import and export; docs/odcs.md says how.

Built on the ``open-data-contract-standard`` package (the standard authors' Pydantic model
and JSON schema). Exports validate against the official v3.1.0 or v3.2.0 JSON schema;
DataPact -> ODCS -> DataPact is lossless, with DataPact-only data in ``customProperties``,
and ODCS -> DataPact -> ODCS gives the document back (what DataPact does not model is kept
verbatim).
"""

from __future__ import annotations

from typing import Any

from datapact_common.odcs.export import to_odcs, to_odcs_documents
from datapact_common.odcs.importer import OdcsImport, from_odcs, read_odcs
from datapact_common.odcs.validation import (
    EXPORT_API_VERSION,
    EXPORT_VERSIONS,
    OdcsVersion,
    check_document,
    package_schema,
    schema_errors,
    vendored_schema,
)


def is_odcs(doc: Any) -> bool:
    """True for a document that declares itself ODCS (``kind: DataContract`` / ``apiVersion``).

    DataPact documents carry neither key (unknown keys are refused there).
    """
    if not isinstance(doc, dict):
        return False
    return doc.get("kind") == "DataContract" or "apiVersion" in doc


__all__ = [
    "EXPORT_API_VERSION",
    "EXPORT_VERSIONS",
    "OdcsImport",
    "OdcsVersion",
    "check_document",
    "from_odcs",
    "is_odcs",
    "package_schema",
    "read_odcs",
    "schema_errors",
    "to_odcs",
    "to_odcs_documents",
    "vendored_schema",
]
