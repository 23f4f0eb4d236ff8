"""Domain errors of the monitor (mapped to HTTP by datapact_common.web's one handler)."""

from __future__ import annotations

from datapact_common.exceptions import DataPactError, ServiceUnavailableError


class UpstreamUnavailableError(ServiceUnavailableError):
    """A DataPact service the monitor depends on did not answer usefully."""


class NothingToCheckError(DataPactError):
    """The contract names no data service endpoint, so there is nothing to poll."""

    status_code = 409
