"""The token check of DataPact's own data services (the template, the agent): the compliance
monitor's credential for this service's own origin
(:mod:`datapact_common.data_service_credentials`), or a DataPact token as before.

- A monitor credential is verified when the service knows its origin (its endpoint URL
  setting); it then reads as a principal without teams or scopes. A service that does not
  know its origin cannot verify one: with open reads it counts as no token (it would grant
  nothing more), with closed reads it is a 401 naming the missing setting.
- ``require_credential``: only a valid monitor credential is accepted (a DataPact token is
  a 401), for a data service that should answer the monitor alone.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from datapact_common.data_service_credentials import derive_key, is_credential, verify
from datapact_common.exceptions import AuthenticationError
from datapact_common.tokens import Principal, Service
from datapact_common.web import Auth, bearer_token

MONITOR_SUBJECT_PREFIX = "data-service-credential:"


class DataServiceAuth(Auth):
    def __init__(
        self,
        secret: Callable[[], str],
        reads_require_auth: Callable[[], bool],
        *,
        endpoint_url: Callable[[], str],
        endpoint_setting: str,
        require_credential: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(secret, Service.DATA_SERVICE, reads_require_auth)
        self._platform_secret = secret
        self._closed = reads_require_auth
        self._endpoint_url = endpoint_url
        self._endpoint_setting = endpoint_setting
        self._require_credential = require_credential

    def optional(self, request: Request) -> Principal | None:
        token = bearer_token(request)
        if token is not None and is_credential(token):
            return self._monitor(token)
        if self._require_credential():
            raise AuthenticationError(
                "this data service answers the compliance monitor's credential only"
            )
        return super().optional(request)

    def _monitor(self, token: str) -> Principal | None:
        endpoint = self._endpoint_url()
        if not endpoint:
            if self._closed() or self._require_credential():
                raise AuthenticationError(
                    "this data service cannot verify the compliance monitor's credential: "
                    f"set {self._endpoint_setting} to the URL the monitor reaches it at"
                )
            return None
        key = derive_key(self._platform_secret(), endpoint)
        credential = verify(token, audience=endpoint, key=key)
        return Principal(sub=f"{MONITOR_SUBJECT_PREFIX}{credential.subject}")
