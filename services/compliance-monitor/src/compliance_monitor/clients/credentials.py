"""What the monitor presents to each data service: never a DataPact credential.

``MONITOR_DATA_SERVICE_CREDENTIALS`` maps an origin (``scheme://host:port``) to one of

- ``"token"`` (the default for every origin not listed): a minutes-lived JWT whose ``aud`` is
  that origin, signed with a key derived for it alone
  (``datapact_common.data_service_credentials``);
- ``"none"``: nothing;
- ``{"header": "X-Api-Key", "value": "…"}``: that header with that secret, for a data
  service with a credential of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from datapact_common.data_service_credentials import mint, origin

# RFC 9110 token characters: what a header name may be made of.
HEADER_NAME = r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$"


class HeaderCredential(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    header: str = Field(pattern=HEADER_NAME)
    value: SecretStr = Field(min_length=1, max_length=4096)

    @field_validator("value")
    @classmethod
    def _one_line(cls, value: SecretStr) -> SecretStr:
        text = value.get_secret_value()
        if any(c in text for c in "\r\n\0") or text != text.strip():
            raise ValueError("a header value is one line without surrounding spaces")
        return value


DataServiceCredential = Literal["none", "token"] | HeaderCredential


def normalized(choices: Mapping[str, DataServiceCredential]) -> dict[str, DataServiceCredential]:
    """Keys as origins; :class:`ValueError` naming a key that is not an http(s) origin."""
    result: dict[str, DataServiceCredential] = {}
    for key, choice in choices.items():
        try:
            key_origin = origin(key)
        except ValueError as exc:
            raise ValueError(f"MONITOR_DATA_SERVICE_CREDENTIALS key {key!r}: {exc}") from None
        if key_origin in result:
            raise ValueError(f"MONITOR_DATA_SERVICE_CREDENTIALS names {key_origin} twice")
        result[key_origin] = choice
    return result


class CredentialPolicy:
    def __init__(
        self, secret: str, choices: Mapping[str, DataServiceCredential], ttl: timedelta
    ) -> None:
        self._secret = secret
        self._choices = normalized(choices)
        self._ttl = ttl

    def headers(self, base: str) -> dict[str, str]:
        """The headers to send to the data service at ``base`` (a fresh token each time)."""
        key = origin(base)
        choice = self._choices.get(key, "token")
        if choice == "none":
            return {}
        if isinstance(choice, HeaderCredential):
            return {choice.header: choice.value.get_secret_value()}
        return {"Authorization": f"Bearer {mint(self._secret, key, ttl=self._ttl)}"}
