"""Jinja2 templates (autoescaped) turning an event into a subject and bodies."""
