"""Storage of received webhook deliveries (used by the GitHub integration)."""
