"""Contracts: the registry's documents, their search columns and lifecycle."""
