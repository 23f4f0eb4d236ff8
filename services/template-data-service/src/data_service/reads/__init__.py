"""GET /data/{dataset}: paginated reads of each published dataset."""
