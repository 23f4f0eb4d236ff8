"""Keeping the read model current: incremental sync from the contract-service API."""
