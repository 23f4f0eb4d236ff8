"""Subscriber teams of a contract (not versioned, docs/design.md §4)."""
