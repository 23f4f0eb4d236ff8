"""Celery tasks: process an event, send one notification, sweep for anything left behind."""
