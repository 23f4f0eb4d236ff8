"""Settings of the data service (names in docs/conventions.md and DESIGN §7)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from datapact_common.settings import ServiceSettings

SERVICE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_CONTRACTS_PATH = SERVICE_DIR / "contract.yaml"
DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/template_data"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("TEMPLATE_DATABASE_URL", "DATABASE_URL", "database_url"),
    )
    service_name: str = "template-data-service"
    contracts_path: Path = DEFAULT_CONTRACTS_PATH

    # The background generator that keeps the example dataset fresh. ``None`` means
    # "on, except when ENVIRONMENT=test", so tests never see rows change under them.
    generator_enabled: bool | None = None
    generator_interval_seconds: float = Field(default=30.0, gt=0)
    generator_batch_size: int = Field(default=5, ge=1, le=1000)

    # /metrics runs one aggregate query per table, this many at a time.
    metrics_concurrency: int = Field(default=8, ge=1, le=64)
    metrics_query_timeout_seconds: float = Field(default=30.0, gt=0)
    # How long an inspected schema may be reused; 0 inspects on every request.
    schema_cache_seconds: float = Field(default=0.0, ge=0)
    data_max_page_size: int = Field(default=1000, ge=1, le=10000)
    health_timeout_seconds: float = Field(default=3.0, gt=0)
    database_pool_size: int = Field(default=10, ge=1, le=100)

    @property
    def generator_active(self) -> bool:
        if self.generator_enabled is None:
            return self.environment != "test"
        return self.generator_enabled


@lru_cache
def get_settings() -> Settings:
    return Settings()
