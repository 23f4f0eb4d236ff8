"""Settings of the GitHub integration (names: docs/design.md §6-§7), from the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from datapact_common.analysis.patterns import DEFAULT_CONTRACT_PATTERNS, DEFAULT_SCHEMA_PATTERNS
from datapact_common.analysis.verdict import Unchecked

CHECK_NAME = "DataPact Contract Check"
PatternList = Annotated[list[str], NoDecode]


class GitHubSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    environment: Literal["development", "test", "staging", "production"] = "development"

    # Webhook receiver.
    github_webhook_secret: SecretStr | None = None
    # Only honoured with ENVIRONMENT=development: accept deliveries without a signature.
    # (Body size: the app-wide CONTRACT_MAX_BODY_BYTES limit applies, 2 MiB by default;
    # GitHub caps payloads at 25 MB, real pull_request/push bodies are tens of kilobytes.)
    github_webhook_allow_unsigned: bool = False
    # A delivery still "processing" after this long is taken as lost (worker died) and re-run.
    github_stale_processing_seconds: float = Field(default=900.0, ge=30)

    # REST API and authentication (a GitHub App, or a plain token).
    github_api_url: str = "https://api.github.com"
    github_token: SecretStr | None = None
    github_app_id: str | None = None
    # The App's private key: the PEM itself (``\n`` escapes allowed) or a path to the file.
    github_app_private_key: SecretStr | None = None
    github_request_timeout_seconds: float = Field(default=15.0, gt=0)
    github_max_retries: int = Field(default=4, ge=0, le=10)
    # A rate-limit wait longer than this is not slept in the worker: the task retries later.
    github_max_retry_wait_seconds: float = Field(default=60.0, ge=0)

    # Pull request analysis.
    github_check_name: str = CHECK_NAME
    github_schema_patterns: PatternList = Field(default_factory=lambda: DEFAULT_SCHEMA_PATTERNS)
    github_contract_patterns: PatternList = Field(default_factory=lambda: DEFAULT_CONTRACT_PATTERNS)
    github_sql_dialect: str = "postgres"
    # A change the analysis could not read makes the check neutral, or failure.
    github_unchecked_conclusion: Unchecked = Unchecked.NEUTRAL
    github_max_files: int = Field(default=3000, ge=1, le=3000)
    github_max_file_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    github_fetch_concurrency: int = Field(default=8, ge=1, le=32)

    @field_validator("github_schema_patterns", "github_contract_patterns", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("github_api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def webhook_secret(self) -> bytes | None:
        secret = self.github_webhook_secret.get_secret_value() if self.github_webhook_secret else ""
        return secret.encode() if secret else None

    @property
    def unsigned_allowed(self) -> bool:
        return self.environment == "development" and self.github_webhook_allow_unsigned

    @property
    def uses_app(self) -> bool:
        return bool(self.github_app_id and self.github_app_private_key)

    def private_key_pem(self) -> str:
        if self.github_app_private_key is None:
            raise ValueError("GITHUB_APP_PRIVATE_KEY is not set")
        value = self.github_app_private_key.get_secret_value().strip()
        if value.startswith("-----BEGIN"):
            return value.replace("\\n", "\n")
        path = Path(value).expanduser()
        if not path.is_file():
            raise ValueError("GITHUB_APP_PRIVATE_KEY is neither a PEM key nor a readable file")
        return path.read_text()


@lru_cache
def get_github_settings() -> GitHubSettings:
    return GitHubSettings()
