"""Every model, imported in one place (Alembic's target metadata, relationship resolution)."""

from notification_service.database import Base
from notification_service.events.models import Event
from notification_service.notifications.models import Notification
from notification_service.preferences.models import Preference
from notification_service.watchers.models import Watcher

__all__ = ["Base", "Event", "Notification", "Preference", "Watcher"]
