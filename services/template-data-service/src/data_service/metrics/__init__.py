"""GET /metrics: quality figures computed from the contracts, one aggregate query per table."""
