"""Settings of the contract-service (names in docs/conventions.md and docs/design.md §7)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from datapact_common.settings import LogLevel, ServiceSettings, log_level_field, prefixed_env

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/contracts"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
SERVICE_NAME = "contract-service"
CELERY_QUEUE = "contracts"


_env = prefixed_env("CONTRACT")


class Settings(ServiceSettings):
    # env_ignore_empty (inherited): `CONTRACT_DATABASE_URL=` falls through to DATABASE_URL.
    model_config = SettingsConfigDict(populate_by_name=True)

    database_url: str = Field(default=DEFAULT_DATABASE_URL, validation_alias=_env("database_url"))
    redis_url: str = Field(default=DEFAULT_REDIS_URL, validation_alias=_env("redis_url"))
    log_level: LogLevel = log_level_field("CONTRACT")
    database_pool_size: int = Field(
        default=10, ge=1, le=100, validation_alias=_env("database_pool_size")
    )
    database_max_overflow: int = Field(
        default=20, ge=0, le=200, validation_alias=_env("database_max_overflow")
    )

    # Peers (the shared docs/design.md §7 names: every service finds the others the same way).
    notification_service_url: str = "http://127.0.0.1:8004"
    dictionary_service_url: str = "http://127.0.0.1:8002"
    dictionary_nudge_enabled: bool = Field(
        default=True, validation_alias=_env("dictionary_nudge_enabled")
    )
    dictionary_nudge_timeout_seconds: float = Field(
        default=2.0, gt=0, le=30, validation_alias=_env("dictionary_nudge_timeout_seconds")
    )

    cors_origins: list[str] = Field(
        default_factory=lambda: ["http://localhost:3000", "http://127.0.0.1:3000"],
        validation_alias=_env("cors_origins"),
    )
    max_body_bytes: int = Field(
        default=2 * 1024 * 1024, ge=1024, validation_alias=_env("max_body_bytes")
    )
    health_timeout_seconds: float = Field(
        default=3.0, gt=0, validation_alias=_env("health_timeout_seconds")
    )

    # Transactional outbox relay (events to the notification service).
    outbox_relay_interval_seconds: float = Field(
        default=5.0, gt=0, validation_alias=_env("outbox_relay_interval_seconds")
    )
    outbox_batch_size: int = Field(
        default=100, ge=1, le=1000, validation_alias=_env("outbox_batch_size")
    )
    outbox_request_timeout_seconds: float = Field(
        default=5.0, gt=0, validation_alias=_env("outbox_request_timeout_seconds")
    )
    outbox_max_backoff_seconds: float = Field(
        default=300.0, gt=0, validation_alias=_env("outbox_max_backoff_seconds")
    )
    outbox_task_max_retries: int = Field(
        default=5, ge=0, le=100, validation_alias=_env("outbox_task_max_retries")
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
