"""Events as received: stored once by id, then processed into notifications by the worker."""
