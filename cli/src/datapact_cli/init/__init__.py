"""``datapact init``: the first contracts, drafted from a schema that already exists."""
