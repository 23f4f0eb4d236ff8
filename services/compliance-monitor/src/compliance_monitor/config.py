"""Settings of the compliance monitor (API, Celery worker and beat read the same class)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, field_validator, model_validator

from compliance_monitor.clients.allow_list import AllowList
from compliance_monitor.clients.credentials import DataServiceCredential, normalized
from datapact_common.settings import (
    SAFE_ENVIRONMENTS,
    LogLevel,
    ServiceSettings,
    env_alias,
    log_level_field,
)

QUEUE = "monitor"
SERVICE_NAME = "compliance-monitor"
# the example database's agent of `make up`, one of yours next to it (the README's quick
# start), compose's data-agent
DEFAULT_ALLOWED_HOSTS = (
    "127.0.0.1:8003,localhost:8003,127.0.0.1:8006,localhost:8006,data-agent:8000"
)


class Settings(ServiceSettings):
    # ServiceSettings' configuration: an empty value (``MONITOR_REDIS_URL=``) falls through to
    # the next name, then to the default.

    log_level: LogLevel = log_level_field("MONITOR")
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/2",
        validation_alias=env_alias("MONITOR", "redis_url"),
        description="Celery broker and the monitor's state (alert states, probes, sweeps)",
    )
    contract_service_url: str = Field(
        default="http://127.0.0.1:8001", validation_alias="CONTRACT_SERVICE_URL"
    )
    notification_service_url: str = Field(
        default="http://127.0.0.1:8004", validation_alias="NOTIFICATION_SERVICE_URL"
    )
    compliance_allowed_hosts: str = Field(
        default=DEFAULT_ALLOWED_HOSTS,
        validation_alias="COMPLIANCE_ALLOWED_HOSTS",
        description="comma-separated host:port entries the monitor may poll (a bare host: "
        "its scheme's default port; host:* any port, development/test only)",
    )
    data_service_credentials: dict[str, DataServiceCredential] = Field(
        default_factory=dict,
        validation_alias="MONITOR_DATA_SERVICE_CREDENTIALS",
        description='JSON: origin -> "token" (default), "none" or {"header", "value"}',
        repr=False,
    )
    data_service_credential_ttl: float = Field(
        default=300,
        ge=30,
        le=900,
        validation_alias="MONITOR_DATA_SERVICE_CREDENTIAL_TTL_SECONDS",
        description="lifetime of the token sent to a data service",
    )
    schema_interval: float = Field(
        default=300, gt=0, validation_alias="MONITOR_SCHEMA_INTERVAL_SECONDS"
    )
    quality_interval: float = Field(
        default=900, gt=0, validation_alias="MONITOR_QUALITY_INTERVAL_SECONDS"
    )
    availability_interval: float = Field(
        default=60, gt=0, validation_alias="MONITOR_AVAILABILITY_INTERVAL_SECONDS"
    )
    availability_window: float = Field(
        default=86400, gt=0, validation_alias="MONITOR_AVAILABILITY_WINDOW_SECONDS"
    )
    concurrency: int = Field(default=16, ge=1, le=256, validation_alias="MONITOR_CONCURRENCY")
    http_timeout: float = Field(default=10.0, gt=0, validation_alias="MONITOR_HTTP_TIMEOUT_SECONDS")
    http_retries: int = Field(default=3, ge=0, le=10, validation_alias="MONITOR_HTTP_RETRIES")
    retry_backoff: float = Field(
        default=0.5, ge=0, validation_alias="MONITOR_RETRY_BACKOFF_SECONDS"
    )
    page_size: int = Field(default=500, ge=1, le=500, validation_alias="MONITOR_PAGE_SIZE")
    sweep_time_limit: float = Field(
        default=600, gt=0, validation_alias="MONITOR_SWEEP_TIME_LIMIT_SECONDS"
    )
    run_now_per_team: int = Field(
        default=2,
        ge=1,
        le=64,
        validation_alias="MONITOR_RUN_NOW_PER_TEAM",
        description="run-now checks of one publisher team in progress at once (429 beyond)",
    )
    run_now_budget: float = Field(
        default=30,
        gt=0,
        le=3600,
        validation_alias="MONITOR_RUN_NOW_BUDGET_SECONDS",
        description="a run-now's total time; what did not finish is an error (timed out)",
    )

    @field_validator("contract_service_url", "notification_service_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("data_service_credentials")
    @classmethod
    def _origins(cls, value: dict[str, DataServiceCredential]) -> dict[str, DataServiceCredential]:
        return normalized(value)

    @model_validator(mode="after")
    def _allow_list_parses(self) -> Settings:
        self.allowed_hosts  # noqa: B018 -- a bad entry stops the process at start-up
        return self

    @property
    def allowed_hosts(self) -> AllowList:
        return AllowList.parse(
            self.compliance_allowed_hosts,
            any_port_allowed=self.environment in SAFE_ENVIRONMENTS,
        )


@lru_cache
def get_settings() -> Settings:
    return Settings()
