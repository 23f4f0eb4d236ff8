"""Alembic environment: the shared async runner, this service's models and settings."""

from datapact_common.migrations import run_migrations
from notification_service.config import Settings
from notification_service.models import Base

run_migrations(Base.metadata, lambda: Settings().database_url, compare_server_default=True)
