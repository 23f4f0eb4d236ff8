"""DataPact command line: validate, diff, push, pull, export, import, token."""

__version__ = "0.1.0"
