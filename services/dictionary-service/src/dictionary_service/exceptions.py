"""Errors of this service that the shared set does not cover."""

from __future__ import annotations

from datapact_common.exceptions import DataPactError


class InvalidQueryError(DataPactError):
    """Query parameters that are each valid but do not make sense together."""

    status_code = 422
