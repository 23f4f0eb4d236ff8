"""Annotated dependencies: who is calling, and the running sync."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from datapact_common.ratelimit import RateLimiter, RateLimitGroup
from datapact_common.tokens import Principal, Service
from datapact_common.web import Auth
from datapact_common.web.lifespan import from_state
from dictionary_service.config import get_settings
from dictionary_service.sync.runner import SyncRunner

auth = Auth.of(get_settings, Service.DICTIONARY)
# No Redis here: each worker process counts on its own (docs/configuration.md).
rate_limiter = RateLimiter(get_settings, auth)
SEARCHES_LIMIT = Depends(rate_limiter.limit(RateLimitGroup.SEARCHES))

# Reads are open unless DATAPACT_READS_REQUIRE_AUTH=true (docs/design.md §6).
ReaderPrincipal = Annotated[Principal | None, Depends(auth.reader)]
# The nudge: the contract-service after each change, or an admin (each costs a sync run).
NudgerPrincipal = Annotated[Principal, Depends(auth.require_service(Service.CONTRACTS, admin=True))]


get_sync_runner = from_state("sync_runner", SyncRunner)
SyncRunnerDep = Annotated[SyncRunner, Depends(get_sync_runner)]
