"""The monitor's HTTP API (port 8005): health, run-now, status."""
