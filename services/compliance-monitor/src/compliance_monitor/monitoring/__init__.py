"""Sweeps: which contracts to check, fetching once per service, recording, alerting."""
