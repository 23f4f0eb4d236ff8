"""GitHub integration: the "DataPact Contract Check" on pull requests and registry sync on merge.

The webhook receiver (``router``) only verifies, stores and queues; the work runs in the
contract-worker (``tasks``): PR analysis without a database (``analysis``), reporting through
check runs and one PR comment (``reporting``), and syncing contract files on pushes to the
default branch (``push_sync``).
"""
