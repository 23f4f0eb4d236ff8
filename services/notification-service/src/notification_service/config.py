"""Settings of the notification service (docs/design.md §7; names in docs/conventions.md)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, field_validator

from datapact_common.settings import LogLevel, ServiceSettings, env_alias, log_level_field


class Settings(ServiceSettings):
    # ServiceSettings' configuration: `NOTIFICATION_DATABASE_URL=` falls through to
    # DATABASE_URL, an empty value anywhere counts as unset.

    log_level: LogLevel = log_level_field("NOTIFICATION")
    database_url: str = Field(
        default="postgresql+asyncpg://postgres@127.0.0.1:5432/notifications",
        validation_alias=env_alias("NOTIFICATION", "database_url"),
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/1",
        validation_alias=env_alias("NOTIFICATION", "redis_url"),
    )
    celery_queue: str = Field(
        default="notifications", min_length=1, validation_alias="NOTIFICATION_CELERY_QUEUE"
    )
    contract_service_url: str = "http://127.0.0.1:8001"
    dashboard_url: str = Field(
        default="http://localhost:3000",
        validation_alias=env_alias("NOTIFICATION", "dashboard_url"),
    )

    smtp_host: str = Field(default="127.0.0.1", validation_alias="NOTIFICATION_SMTP_HOST")
    smtp_port: int = Field(default=1025, validation_alias="NOTIFICATION_SMTP_PORT")
    smtp_use_tls: bool = Field(default=False, validation_alias="NOTIFICATION_SMTP_USE_TLS")
    smtp_username: str | None = Field(default=None, validation_alias="NOTIFICATION_SMTP_USERNAME")
    smtp_password: str | None = Field(
        default=None, validation_alias="NOTIFICATION_SMTP_PASSWORD", repr=False
    )
    smtp_from: str = Field(
        default="DataPact <notifications@datapact.local>", validation_alias="NOTIFICATION_SMTP_FROM"
    )
    smtp_ca_file: str | None = Field(default=None, validation_alias="NOTIFICATION_SMTP_CA_FILE")
    smtp_timeout_seconds: float = Field(
        default=10.0, gt=0, validation_alias="NOTIFICATION_SMTP_TIMEOUT_SECONDS"
    )
    slack_webhook_url: str | None = None
    slack_timeout_seconds: float = Field(
        default=10.0, gt=0, validation_alias="NOTIFICATION_SLACK_TIMEOUT_SECONDS"
    )

    dedup_window_minutes: float = Field(
        default=60, ge=0, validation_alias="NOTIFICATION_DEDUP_WINDOW_MINUTES"
    )
    rate_limit_per_hour: int = Field(
        default=20, ge=1, validation_alias="NOTIFICATION_RATE_LIMIT_PER_HOUR"
    )
    digest_interval_minutes: float = Field(
        default=60, gt=0, validation_alias="NOTIFICATION_DIGEST_INTERVAL_MINUTES"
    )
    max_attempts: int = Field(default=6, ge=1, validation_alias="NOTIFICATION_MAX_ATTEMPTS")
    retry_backoff_seconds: float = Field(
        default=2.0, gt=0, validation_alias="NOTIFICATION_RETRY_BACKOFF_SECONDS"
    )
    retry_backoff_max_seconds: float = Field(
        default=300.0, gt=0, validation_alias="NOTIFICATION_RETRY_BACKOFF_MAX_SECONDS"
    )
    send_lease_seconds: float = Field(
        default=60.0, gt=0, validation_alias="NOTIFICATION_SEND_LEASE_SECONDS"
    )
    delivery_state_durable: bool = Field(
        default=False, validation_alias="NOTIFICATION_DELIVERY_STATE_DURABLE"
    )
    visibility_timeout_seconds: int = Field(
        default=600, ge=1, validation_alias="NOTIFICATION_VISIBILITY_TIMEOUT_SECONDS"
    )
    worker_prefetch_multiplier: int = Field(
        default=4, ge=1, validation_alias="NOTIFICATION_WORKER_PREFETCH_MULTIPLIER"
    )
    sweep_interval_seconds: float = Field(
        default=30.0, gt=0, validation_alias="NOTIFICATION_SWEEP_INTERVAL_SECONDS"
    )
    sweep_grace_seconds: float = Field(
        default=120.0, ge=0, validation_alias="NOTIFICATION_SWEEP_GRACE_SECONDS"
    )
    contract_cache_seconds: float = Field(
        default=30.0, ge=0, validation_alias="NOTIFICATION_CONTRACT_CACHE_SECONDS"
    )
    contract_timeout_seconds: float = Field(
        default=5.0, gt=0, validation_alias="NOTIFICATION_CONTRACT_TIMEOUT_SECONDS"
    )
    preferences_link_days: float = Field(
        default=30, gt=0, le=365, validation_alias="NOTIFICATION_PREFERENCES_LINK_DAYS"
    )
    watchers_link_days: float = Field(
        default=7, gt=0, le=365, validation_alias="NOTIFICATION_WATCHERS_LINK_DAYS"
    )
    confirmation_interval_hours: float = Field(
        default=24, ge=0, le=24 * 365, validation_alias="NOTIFICATION_CONFIRMATION_INTERVAL_HOURS"
    )
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024, validation_alias="NOTIFICATION_MAX_BODY_BYTES"
    )

    @field_validator("database_url")
    @classmethod
    def _asyncpg_driver(cls, value: str) -> str:
        for plain in ("postgresql://", "postgres://", "postgresql+psycopg://"):
            if value.startswith(plain):
                return "postgresql+asyncpg://" + value[len(plain) :]
        return value

    @field_validator("contract_service_url", "dashboard_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("slack_webhook_url", "smtp_username", "smtp_password", "smtp_ca_file")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def sync_database_url(self) -> str:
        """The worker's URL (psycopg) for the same database."""
        return self.database_url.replace("+asyncpg", "+psycopg")

    def backoff_seconds(self, attempts: int) -> float:
        """Delay before the next try after ``attempts`` failed tries (exponential, capped)."""
        delay = self.retry_backoff_seconds * (2 ** max(attempts - 1, 0))
        return float(min(delay, self.retry_backoff_max_seconds))


@lru_cache
def get_settings() -> Settings:
    return Settings()
