"""Per-recipient preferences: muted event types, minimum severity, digest."""
