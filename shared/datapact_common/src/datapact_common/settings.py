"""Base of every service's settings class (docs/design.md §6-§7)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Literal

from limits import RateLimitItem, parse_many
from pydantic import (
    AliasChoices,
    AliasPath,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "datapact-development-secret-do-not-use-in-production"
SAFE_ENVIRONMENTS = frozenset({"development", "test"})
MIN_SECRET_LENGTH = 32
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(value: object) -> str:
    name = value.strip().upper() if isinstance(value, str) else None
    if name not in LOG_LEVELS:
        raise ValueError(
            f"the log level (LOG_LEVEL, or the service's own <PREFIX>_LOG_LEVEL, which wins) "
            f"must be one of {', '.join(LOG_LEVELS)} in any case, got {value!r}"
        )
    return name


# `LOG_LEVEL=info` and `LOG_LEVEL=INFO` are the same; anything else stops the process at
# start-up with the allowed names in the message.
LogLevel = Annotated[str, BeforeValidator(_log_level)]


def env_alias(prefix: str, name: str, *, shared: bool = True) -> AliasChoices:
    """A setting's environment names (docs/conventions.md "Settings names"):
    ``<PREFIX>_<NAME>`` first, then the shared ``<NAME>`` unless ``shared=False``. In the one
    ``.env`` every native process reads, the prefixed name configures one service alone
    (``DATABASE_POOL_SIZE`` is a name of several services, for example)."""
    prefixed = f"{prefix}_{name.upper()}"
    return AliasChoices(prefixed, name.upper()) if shared else AliasChoices(prefixed)


def prefixed_env(prefix: str, *, shared: bool = True) -> Callable[[str], AliasChoices]:
    """``env_alias`` bound to one service's prefix: ``_env = prefixed_env("CONTRACT")``."""
    return partial(env_alias, prefix, shared=shared)


def log_level_field(prefix: str) -> Any:
    """A service's ``log_level``: ``<PREFIX>_LOG_LEVEL`` first, then the shared ``LOG_LEVEL``
    (docs/conventions.md "Settings names")."""
    return Field(
        default="INFO",
        validation_alias=AliasChoices(f"{prefix}_LOG_LEVEL", "LOG_LEVEL", "log_level"),
        description=f"Python log level ({', '.join(LOG_LEVELS)}; any case)",
    )


class ServiceSettings(BaseSettings):
    """Shared settings; each service subclasses this with its own fields.

    Outside ``development``/``test`` the default secret (or a short one) is refused,
    so a production deployment can never run with a publicly known key.

    An empty value (``NAME=`` in ``.env`` or the environment) counts as unset: the next
    name of an ``AliasChoices`` is tried, then the default. Subclasses inherit this
    configuration (pydantic merges ``model_config``) and only add what differs.
    """

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    environment: Literal["development", "test", "staging", "production"] = "development"
    datapact_secret_key: str = Field(default=DEVELOPMENT_SECRET, repr=False)
    datapact_reads_require_auth: bool = False
    log_level: LogLevel = "INFO"
    # /docs, /redoc and /openapi.json: unset = served, except with ENVIRONMENT=production.
    datapact_api_docs: bool | None = None
    # Per-caller rate limits (datapact_common.ratelimit): unset = on, except ENVIRONMENT=test.
    datapact_rate_limits: bool | None = None
    datapact_rate_limit_documents: str = "120/minute"
    datapact_rate_limit_searches: str = "600/minute"

    @field_validator("datapact_rate_limit_documents", "datapact_rate_limit_searches")
    @classmethod
    def _rate_limit_parses(cls, value: str) -> str:
        parse_rate_limit(value)
        return value

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> ServiceSettings:
        if self.environment in SAFE_ENVIRONMENTS:
            return self
        if self.datapact_secret_key == DEVELOPMENT_SECRET:
            raise ValueError(
                f"DATAPACT_SECRET_KEY is the development default; set a secret of at least "
                f"{MIN_SECRET_LENGTH} characters when ENVIRONMENT={self.environment}"
            )
        if len(self.datapact_secret_key) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"DATAPACT_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters "
                f"when ENVIRONMENT={self.environment}"
            )
        return self

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def api_docs_enabled(self) -> bool:
        if self.datapact_api_docs is not None:
            return self.datapact_api_docs
        return self.environment != "production"

    def api_docs_options(self) -> dict[str, Any]:
        """``FastAPI(...)`` keyword arguments: none, or the three documentation URLs off."""
        if self.api_docs_enabled:
            return {}
        return {"docs_url": None, "redoc_url": None, "openapi_url": None}

    @property
    def rate_limits_enabled(self) -> bool:
        if self.datapact_rate_limits is not None:
            return self.datapact_rate_limits
        return self.environment != "test"

    def configure_logging(self) -> None:
        """Apply the log level: a stderr handler on the root logger if the process has none
        yet, and the root logger's level (also when a handler was already installed)."""
        logging.basicConfig(level=self.log_level)
        logging.getLogger().setLevel(self.log_level)


def env_names(cls: type[BaseSettings]) -> dict[str, list[str]]:
    """Each field's environment names, in the order pydantic-settings tries them (upper-case
    unless the class is case-sensitive)."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    upper = not cls.model_config.get("case_sensitive", False)
    result: dict[str, list[str]] = {}
    for field_name, info in cls.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, str):
            names = [alias]
        elif isinstance(alias, AliasChoices):
            names = [c if isinstance(c, str) else str(c.path[0]) for c in alias.choices]
        elif isinstance(alias, AliasPath):
            names = [str(alias.path[0])]
        elif info.alias:
            names = [info.alias]
        else:
            names = [prefix + field_name]
        result[field_name] = list(dict.fromkeys(n.upper() if upper else n for n in names))
    return result


def parse_rate_limit(text: str) -> list[RateLimitItem]:
    """``"120/minute"`` or ``"20/second;600/hour"`` as rate limit items (ValueError if not)."""
    try:
        items = parse_many(text)
    except ValueError as exc:
        raise ValueError(
            f"{text!r} is not a rate limit; write e.g. '120/minute' or '10/second;600/hour'"
        ) from exc
    if not items:
        raise ValueError(f"{text!r} names no rate limit")
    return items
