"""Settings of the contract-service (names in docs/conventions.md and DESIGN §7)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from datapact_common.settings import ServiceSettings

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/contracts"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
SERVICE_NAME = "contract-service"
CELERY_QUEUE = "contracts"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,  # `CONTRACT_DATABASE_URL=` in .env falls through to DATABASE_URL
    )

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("CONTRACT_DATABASE_URL", "DATABASE_URL", "database_url"),
    )
    redis_url: str = Field(
        default=DEFAULT_REDIS_URL,
        validation_alias=AliasChoices("CONTRACT_REDIS_URL", "REDIS_URL", "redis_url"),
    )
    database_pool_size: int = Field(default=10, ge=1, le=100)
    database_max_overflow: int = Field(default=20, ge=0, le=200)

    # Peers.
    notification_service_url: str = "http://127.0.0.1:8004"
    dictionary_service_url: str = "http://127.0.0.1:8002"
    dictionary_nudge_enabled: bool = True
    dictionary_nudge_timeout_seconds: float = Field(default=2.0, gt=0, le=30)

    cors_origins: list[str] = Field(
        default_factory=lambda: ["http://localhost:3000", "http://127.0.0.1:3000"]
    )
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    health_timeout_seconds: float = Field(default=3.0, gt=0)

    # Transactional outbox relay (events to the notification service).
    outbox_relay_interval_seconds: float = Field(default=5.0, gt=0)
    outbox_batch_size: int = Field(default=100, ge=1, le=1000)
    outbox_request_timeout_seconds: float = Field(default=5.0, gt=0)
    outbox_max_backoff_seconds: float = Field(default=300.0, gt=0)
    outbox_task_max_retries: int = Field(default=5, ge=0, le=100)


@lru_cache
def get_settings() -> Settings:
    return Settings()
