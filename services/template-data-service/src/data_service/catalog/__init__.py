"""The contracts this service publishes (its contract.yaml, a YAML stream)."""
