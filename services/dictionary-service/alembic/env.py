"""Alembic environment: the shared async runner, this service's models and settings."""

from datapact_common.migrations import run_migrations
from dictionary_service.base import Base
from dictionary_service.catalog import models as _catalog_models  # noqa: F401
from dictionary_service.config import Settings
from dictionary_service.search import models as _search_models  # noqa: F401
from dictionary_service.sync import models as _sync_models  # noqa: F401

run_migrations(Base.metadata, lambda: Settings().database_url)
