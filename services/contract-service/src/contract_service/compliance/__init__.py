"""Compliance check results recorded by the monitor, summaries for the dashboard."""
