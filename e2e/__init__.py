"""End-to-end tests: the whole platform as real processes (docs/e2e.md)."""
