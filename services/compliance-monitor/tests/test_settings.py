"""Settings: an empty value means unset; LOG_LEVEL (MONITOR_LOG_LEVEL first) in any case,
validated and applied at start-up."""

from __future__ import annotations

from compliance_monitor.config import Settings
from datapact_testing.processes import free_port
from datapact_testing.settings import SettingsBehaviour


class TestSettings(SettingsBehaviour):
    settings = Settings
    app = "compliance_monitor.main:app"
    own_log_level = "MONITOR_LOG_LEVEL"

    def dead_ends(self) -> dict[str, str]:
        return {
            "ENVIRONMENT": "test",
            "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
            "CONTRACT_SERVICE_URL": "http://127.0.0.1:9",
            "NOTIFICATION_SERVICE_URL": "http://127.0.0.1:9",
        }
