"""Change proposals: a breaking change negotiated with the teams it breaks (docs/workflow.md)."""
