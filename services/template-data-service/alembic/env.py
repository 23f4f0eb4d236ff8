"""Alembic environment: the shared async runner, the dataset's tables and settings."""

from data_service import dataset
from data_service.config import Settings
from datapact_common.migrations import run_migrations

run_migrations(dataset.metadata, lambda: Settings().database_url, compare_server_default=True)
