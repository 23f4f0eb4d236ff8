"""The agent's settings: every command-line flag has an environment name (docs/agent.md)."""

from __future__ import annotations

import re
from pathlib import PurePath

from pydantic import Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from datapact_common.contract_schema import CONTRACT_NAME_PATTERN, TABLE_NAME_PATTERN
from datapact_common.data_service_credentials import origin
from datapact_common.settings import LogLevel, ServiceSettings, log_level_field, prefixed_env

_env = prefixed_env("AGENT", shared=False)


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(populate_by_name=True)

    log_level: LogLevel = log_level_field("AGENT")
    database_url: str = Field(
        default="",
        validation_alias=_env("database_url"),
        description="postgresql://..., mysql://... / mariadb://..., duckdb:///path",
    )
    contracts: str | None = Field(
        default=None,
        validation_alias=_env("contracts"),
        description="contracts files or folders (comma separated), or a registry's base URL",
    )
    # Where the monitor reaches this agent (the contracts' access.endpoint_url): the audience
    # of the monitor's credential (verified only when this is set) and, with contracts from
    # the registry, which contracts are this agent's. Then a read token if the registry
    # wants one, how often to re-read.
    endpoint_url: str = Field(default="", max_length=500, validation_alias=_env("endpoint_url"))
    # /schema and /metrics answer the compliance monitor's credential only.
    require_monitor_credential: bool = Field(
        default=False, validation_alias=_env("require_monitor_credential")
    )
    registry_token: str = Field(default="", repr=False, validation_alias=_env("registry_token"))
    contracts_refresh_seconds: float = Field(
        default=60.0, gt=0, le=86400, validation_alias=_env("contracts_refresh_seconds")
    )
    host: str = Field(default="127.0.0.1", validation_alias=_env("host"))
    port: int = Field(default=8003, ge=1, le=65535, validation_alias=_env("port"))
    # contract=table pairs, comma separated: measure a contract on another table than its own.
    tables: str = Field(default="", validation_alias=_env("tables"))
    service_name: str = Field(
        default="data-agent", min_length=1, max_length=255, validation_alias=_env("service_name")
    )
    # Statements measuring tables at once (a thread and a connection each).
    concurrency: int = Field(default=4, ge=1, le=64, validation_alias=_env("concurrency"))
    # The engine stops any statement running longer (DuckDB: the agent interrupts it).
    query_timeout_seconds: float = Field(
        default=30.0, gt=0, le=3600, validation_alias=_env("query_timeout_seconds")
    )
    # Primary keys shown per violated rule (0: no samples, and no sampling statement).
    sample_size: int = Field(default=5, ge=0, le=5, validation_alias=_env("sample_size"))
    schema_cache_seconds: float = Field(
        default=0.0, ge=0, le=3600, validation_alias=_env("schema_cache_seconds")
    )
    # A page of /metrics or /schema (?contracts=, ?tables=) may use a catalogue read this
    # long ago: the pages of one sweep share one read instead of one read each.
    page_catalogue_seconds: float = Field(
        default=60.0, ge=0, le=3600, validation_alias=_env("page_catalogue_seconds")
    )
    # Plan every table and render its scan in the background at start-up, so the first
    # sweep finds them made. ``None``: on, except when ENVIRONMENT=test.
    warmup: bool | None = Field(default=None, validation_alias=_env("warmup"))
    health_timeout_seconds: float = Field(
        default=3.0, gt=0, le=60, validation_alias=_env("health_timeout_seconds")
    )

    @model_validator(mode="after")
    def _credential_needs_audience(self) -> Settings:
        if self.require_monitor_credential and not self.endpoint_url:
            raise ValueError(
                "AGENT_REQUIRE_MONITOR_CREDENTIAL needs AGENT_ENDPOINT_URL: the URL the "
                "monitor reaches this agent at is the audience of its credential"
            )
        if self.endpoint_url:
            origin(self.endpoint_url)  # ValueError: not an http(s) URL with a host
        return self

    @field_validator("contracts", mode="before")
    @classmethod
    def _path_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, PurePath) else value

    @field_validator("tables")
    @classmethod
    def _pairs(cls, value: str) -> str:
        parse_table_map(value)
        return value

    @property
    def warmup_active(self) -> bool:
        return self.environment != "test" if self.warmup is None else self.warmup

    @property
    def table_map(self) -> dict[str, str]:
        return parse_table_map(self.tables)


def parse_table_map(text: str) -> dict[str, str]:
    """``"orders=sales.orders, films=film"`` → ``{"orders": "sales.orders", "films": "film"}``."""
    mapping: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        contract, sep, table = (s.strip() for s in item.partition("="))
        if not sep or not re.match(CONTRACT_NAME_PATTERN, contract):
            raise ValueError(f"table mapping {item!r}: write contract=table")
        if not re.match(TABLE_NAME_PATTERN, table):
            raise ValueError(f"table mapping {item!r}: {table!r} is not a table name")
        if contract in mapping:
            raise ValueError(f"table mapping names contract {contract!r} twice")
        mapping[contract] = table
    return mapping
