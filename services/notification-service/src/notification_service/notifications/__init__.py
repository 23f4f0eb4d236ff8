"""Notifications: one per (event, recipient, channel), with its delivery state and history."""
