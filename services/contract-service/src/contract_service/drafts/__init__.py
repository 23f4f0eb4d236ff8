"""Contract drafts from a schema (the dashboard's "new contract from a DDL file")."""
