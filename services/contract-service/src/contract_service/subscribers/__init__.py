"""Subscriber teams of a contract (not versioned, DESIGN §4)."""
