"""DataPact test harness: real PostgreSQL databases, real service processes, SMTP and HTTP sinks.

Development-only: never installed in a production image.
"""
