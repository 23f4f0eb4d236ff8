"""Settings of the dictionary-service (docs/design.md §7, docs/conventions.md "Settings names")."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from datapact_common.settings import LogLevel, ServiceSettings, env_alias, log_level_field

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/dictionary"


class Settings(ServiceSettings):
    # ServiceSettings' configuration: `DICTIONARY_DATABASE_URL=` (empty) in .env falls through
    # to DATABASE_URL, an empty value anywhere counts as unset.

    log_level: LogLevel = log_level_field("DICTIONARY")
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias=env_alias("DICTIONARY", "database_url"),
    )
    contract_service_url: str = Field(
        default="http://127.0.0.1:8001", validation_alias="CONTRACT_SERVICE_URL"
    )
    # The background sync; a nudge (POST /api/v1/dictionary/sync) runs it at once.
    sync_enabled: bool = Field(default=True, validation_alias="DICTIONARY_SYNC_ENABLED")
    sync_interval_seconds: float = Field(
        default=5.0, gt=0, le=3600, validation_alias="DICTIONARY_SYNC_INTERVAL_SECONDS"
    )
    sync_page_size: int = Field(
        default=500, ge=1, le=500, validation_alias="DICTIONARY_SYNC_PAGE_SIZE"
    )
    # Each incremental run re-reads this much history before its cursor, so a change whose
    # transaction committed late (with an older updated_at) is still picked up. The hourly
    # full pass catches anything slower than that.
    sync_overlap_seconds: float = Field(
        default=10.0, ge=0, le=86400, validation_alias="DICTIONARY_SYNC_OVERLAP_SECONDS"
    )
    # A full pass (which also drops datasets the registry no longer lists) this often;
    # 0 turns it off. `python -m dictionary_service.rebuild` forces one.
    sync_reconcile_seconds: float = Field(
        default=3600.0, ge=0, validation_alias="DICTIONARY_SYNC_RECONCILE_SECONDS"
    )
    # The ERD draws at most this much; a larger selection is cut (in name order, the
    # focal dataset or the team's own first) and says how to filter.
    erd_max_datasets: int = Field(
        default=200, ge=1, le=10_000, validation_alias="DICTIONARY_ERD_MAX_DATASETS"
    )
    erd_max_fields: int = Field(
        default=10_000, ge=1, le=1_000_000, validation_alias="DICTIONARY_ERD_MAX_FIELDS"
    )
    contract_service_timeout_seconds: float = Field(
        default=10.0, gt=0, le=300, validation_alias="DICTIONARY_CONTRACT_TIMEOUT_SECONDS"
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
