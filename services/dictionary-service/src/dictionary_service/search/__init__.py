"""Ranked, highlighted, faceted search over datasets and fields."""
