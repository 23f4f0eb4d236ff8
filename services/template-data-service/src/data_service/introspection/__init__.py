"""The live database schema, as PostgreSQL reports it (GET /schema)."""
