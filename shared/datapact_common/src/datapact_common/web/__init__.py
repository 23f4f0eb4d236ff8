"""FastAPI building blocks every service shares: error mapping, auth, body parsing, size limits."""

from datapact_common.web.auth import Auth, bearer_token
from datapact_common.web.body import (
    DOCUMENT_MEDIA_TYPES,
    BodySizeLimitMiddleware,
    read_body,
    read_document,
)
from datapact_common.web.errors import install_error_handlers

__all__ = [
    "DOCUMENT_MEDIA_TYPES",
    "Auth",
    "BodySizeLimitMiddleware",
    "bearer_token",
    "install_error_handlers",
    "read_body",
    "read_document",
]
