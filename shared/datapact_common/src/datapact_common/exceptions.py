"""Domain exceptions shared by every service.

Each carries the HTTP status it maps to, so one exception handler per service
turns them into responses (see :mod:`datapact_common.web`).
"""

from __future__ import annotations

from typing import Any


class DataPactError(Exception):
    """Base class of every domain error: the body is ``{"detail": ..., **extra}``."""

    status_code = 400

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    @property
    def headers(self) -> dict[str, str] | None:
        """Response headers the status needs (``WWW-Authenticate``, ``Retry-After``)."""
        return None


class InvalidRequestError(DataPactError):
    """Well-formed but unacceptable input; ``errors`` lists each problem as
    ``{"loc", "message", "type"}`` (the shape of every 422)."""

    status_code = 422

    def __init__(self, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail, errors=errors or [])
        self.errors = errors or []


class DocumentParseError(DataPactError):
    """A YAML/JSON document could not be parsed."""

    status_code = 400


class ContractValidationError(InvalidRequestError):
    """A document parsed but is not a valid contract."""


class ThresholdError(ValueError):
    """A quality threshold does not parse (a ValueError so pydantic reports it)."""


class SemverError(ValueError):
    """A version string is not MAJOR.MINOR.PATCH."""


class OdcsError(DataPactError):
    """An ODCS document is invalid or cannot be converted. ``errors`` are ``"path: message"``
    lines; an HTTP body carries them as ``{"loc", "message", "type"}`` like any 422."""

    status_code = 422

    def __init__(self, detail: str, errors: list[str] | None = None) -> None:
        super().__init__(detail, errors=[_odcs_issue(line) for line in errors or []])
        self.errors = errors or []


def _odcs_issue(line: str) -> dict[str, str]:
    where, found, message = line.partition(": ")
    if not found or " " in where:
        return {"loc": "(document)", "message": line, "type": "odcs"}
    return {"loc": where, "message": message, "type": "odcs"}


class AuthenticationError(DataPactError):
    status_code = 401

    @property
    def headers(self) -> dict[str, str] | None:
        return {"WWW-Authenticate": "Bearer"}


class PermissionDeniedError(DataPactError):
    status_code = 403


class NotFoundError(DataPactError):
    status_code = 404


class ConflictError(DataPactError):
    status_code = 409


class PreconditionFailedError(DataPactError):
    """An ``If-Match`` that no longer matches: the resource changed since it was read."""

    status_code = 412


class PayloadTooLargeError(DataPactError):
    status_code = 413


class UnsupportedMediaTypeError(DataPactError):
    status_code = 415


class RateLimitedError(DataPactError):
    """Too many requests from one caller; answered with ``Retry-After``."""

    status_code = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after)}


class ServiceUnavailableError(DataPactError):
    """Something this service depends on does not answer; worth retrying shortly."""

    status_code = 503
    retry_after = 5

    @property
    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after)}
