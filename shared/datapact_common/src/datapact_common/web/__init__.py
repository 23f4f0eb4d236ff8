"""FastAPI building blocks every service shares: the error contract, auth, body limits."""

from datapact_common.web.auth import Auth, bearer_token
from datapact_common.web.body import (
    DOCUMENT_MEDIA_TYPES,
    BodySizeLimitMiddleware,
    FastJSONRoute,
    read_body,
    read_document,
)
from datapact_common.web.errors import (
    ErrorBody,
    Issue,
    describe,
    error_response,
    error_responses,
    install_error_handlers,
    summary,
)
from datapact_common.web.query import single_valued_query

__all__ = [
    "DOCUMENT_MEDIA_TYPES",
    "Auth",
    "BodySizeLimitMiddleware",
    "ErrorBody",
    "FastJSONRoute",
    "Issue",
    "bearer_token",
    "describe",
    "error_response",
    "error_responses",
    "install_error_handlers",
    "read_body",
    "read_document",
    "single_valued_query",
    "summary",
]
