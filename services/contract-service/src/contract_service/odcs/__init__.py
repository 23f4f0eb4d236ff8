"""Importing ODCS documents into the registry, keyed by document id and schema object."""
