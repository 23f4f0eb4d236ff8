"""Alerts leave the monitor as events for the notification-service (docs/design.md §5).

The spec's layout had ``reporters/slack.py`` and ``reporters/email.py``. Here nothing
sends mail or Slack messages directly: the notification-service owns channels, recipients
(publisher, subscribers whose ``fields_used`` touch the failing fields, watchers),
preferences, de-duplication and rate limits. ``events`` builds the envelopes; ``outbox``
keeps them in Redis until the notification-service has accepted them.
"""
