"""Base of every service's settings class (DESIGN §6-§7)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "datapact-development-secret-do-not-use-in-production"
SAFE_ENVIRONMENTS = frozenset({"development", "test"})
MIN_SECRET_LENGTH = 32


class ServiceSettings(BaseSettings):
    """Shared settings; each service subclasses this with its own fields.

    Outside ``development``/``test`` the default secret (or a short one) is refused,
    so a production deployment can never run with a publicly known key.
    """

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "test", "staging", "production"] = "development"
    datapact_secret_key: str = Field(default=DEVELOPMENT_SECRET, repr=False)
    datapact_reads_require_auth: bool = False
    log_level: str = "INFO"

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
