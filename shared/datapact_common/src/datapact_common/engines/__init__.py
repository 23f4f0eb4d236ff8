"""Database engines: each one's live catalogue in one engine-neutral shape, and sessions to
run statements on it. Used by the data agent (its checks) and by ``datapact init`` (contracts
drafted from a database).

The drivers are not dependencies of ``datapact_common``: a package that opens engines
declares them (psycopg 3, PyMySQL, duckdb), as the data agent and the CLI do. Importing
``base``, ``types`` or ``registry`` loads no driver; ``open_engine`` loads the one its URL
names.
"""
