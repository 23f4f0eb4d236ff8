"""Settings of the data service (names in docs/conventions.md and docs/design.md §7)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from datapact_common.settings import LogLevel, ServiceSettings, log_level_field, prefixed_env

SERVICE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_CONTRACTS_PATH = SERVICE_DIR / "contract.yaml"
DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/template_data"


_env = prefixed_env("TEMPLATE")


class Settings(ServiceSettings):
    # ServiceSettings' configuration (an empty value counts as unset: `TEMPLATE_X=` falls
    # through to `X`, then to the default), plus init by field name.
    model_config = SettingsConfigDict(populate_by_name=True)

    log_level: LogLevel = log_level_field("TEMPLATE")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, validation_alias=_env("database_url"))
    service_name: str = Field(
        default="template-data-service", validation_alias=_env("service_name")
    )
    contracts_path: Path = Field(
        default=DEFAULT_CONTRACTS_PATH, validation_alias=_env("contracts_path")
    )
    # Where the compliance monitor reaches this service (its contracts' access.endpoint_url):
    # the audience of the monitor's credential, which it can verify only when this is set.
    endpoint_url: str = Field(default="", max_length=500, validation_alias=_env("endpoint_url"))

    # The background generator that keeps the example dataset fresh. ``None`` means
    # "on, except when ENVIRONMENT=test", so tests never see rows change under them.
    generator_enabled: bool | None = Field(default=None, validation_alias=_env("generator_enabled"))
    generator_interval_seconds: float = Field(
        default=30.0, gt=0, validation_alias=_env("generator_interval_seconds")
    )
    generator_batch_size: int = Field(
        default=5, ge=1, le=1000, validation_alias=_env("generator_batch_size")
    )

    # /metrics runs one aggregate query per table on this many connections at a time.
    metrics_concurrency: int = Field(
        default=8, ge=1, le=64, validation_alias=_env("metrics_concurrency")
    )
    # Server-side statement_timeout of every query (so one huge table cannot hang /metrics).
    query_timeout_seconds: float = Field(
        default=30.0, gt=0, validation_alias=_env("query_timeout_seconds")
    )
    # Compute /metrics once in the background at startup, so the first real request finds
    # every statement built and compiled. ``None``: on, except when ENVIRONMENT=test.
    metrics_warmup: bool | None = Field(default=None, validation_alias=_env("metrics_warmup"))
    # How long an inspected schema may be reused; 0 inspects on every request.
    schema_cache_seconds: float = Field(
        default=0.0, ge=0, validation_alias=_env("schema_cache_seconds")
    )
    data_max_page_size: int = Field(
        default=1000, ge=1, le=10000, validation_alias=_env("data_max_page_size")
    )
    health_timeout_seconds: float = Field(
        default=3.0, gt=0, validation_alias=_env("health_timeout_seconds")
    )
    database_pool_size: int = Field(
        default=10, ge=1, le=100, validation_alias=_env("database_pool_size")
    )

    @property
    def metrics_warmup_active(self) -> bool:
        if self.metrics_warmup is None:
            return self.environment != "test"
        return self.metrics_warmup

    @property
    def generator_active(self) -> bool:
        if self.generator_enabled is None:
            return self.environment != "test"
        return self.generator_enabled


@lru_cache
def get_settings() -> Settings:
    return Settings()
