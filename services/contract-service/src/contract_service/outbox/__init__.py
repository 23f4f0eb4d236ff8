"""Transactional outbox: events written with the change, relayed to the notification service."""
