"""Settings: an empty value means unset; LOG_LEVEL (NOTIFICATION_LOG_LEVEL first) in any
case, validated and applied at start-up."""

from __future__ import annotations

from datapact_testing.processes import free_port
from datapact_testing.settings import SettingsBehaviour
from notification_service.config import Settings


class TestSettings(SettingsBehaviour):
    settings = Settings
    app = "notification_service.main:app"
    own_log_level = "NOTIFICATION_LOG_LEVEL"

    def dead_ends(self) -> dict[str, str]:
        port = free_port()
        return {
            "ENVIRONMENT": "test",
            "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{port}/notifications",
            "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
            "CONTRACT_SERVICE_URL": "http://127.0.0.1:9",
        }
