"""Alembic environment: the shared async runner, this service's models and settings."""

from contract_service.config import Settings
from contract_service.models import Base
from datapact_common.migrations import run_migrations

run_migrations(Base.metadata, lambda: Settings().database_url)
