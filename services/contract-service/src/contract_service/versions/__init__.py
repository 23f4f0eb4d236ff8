"""Version history: one snapshot per published version, diffs between them."""
