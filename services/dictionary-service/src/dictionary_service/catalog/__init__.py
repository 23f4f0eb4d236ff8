"""The read model: datasets, their fields, foreign-key relationships and subscriptions."""
