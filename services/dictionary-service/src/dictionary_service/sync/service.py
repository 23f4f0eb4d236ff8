"""One sync run: read what changed in the registry and apply it, page by page.

Each page is applied and the cursor advanced in one transaction, so an interrupted run
keeps what it finished and the next run continues from there. A PostgreSQL advisory lock
makes runs of several processes (API workers, the rebuild command) take turns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from datapact_common.locks import advisory_lock
from datapact_common.timeutil import utcnow
from dictionary_service.sync.apply import (
    apply_snapshots,
    delete_datasets_not_in,
    prune_words,
    stored_versions,
)
from dictionary_service.sync.client import ContractServiceClient, ContractServiceError
from dictionary_service.sync.documents import (
    ContractSnapshot,
    UnusableDocumentError,
    registry_key,
    snapshot_from_document,
)
from dictionary_service.sync.repository import get_state

logger = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# After a run that rewrote this many datasets, refresh the planner's statistics at once
# instead of waiting for autovacuum (a first sync otherwise leaves the planner blind).
ANALYZE_AFTER = 500
READ_MODEL_TABLES = (
    "datasets, fields, relationships, subscriptions, search_entries, search_words,"
    " search_facets, search_tag_sets"
)
# One sync at a time per database (datapact_common.locks).
SYNC_LOCK = "dictionary sync"


@dataclass
class SyncResult:
    mode: str
    ok: bool = True
    received: int = 0
    applied: int = 0
    removed: int = 0
    skipped: list[str] = field(default_factory=list)
    error: str | None = None


class Synchronizer:
    def __init__(
        self,
        engine: AsyncEngine,
        sessionmaker: async_sessionmaker[AsyncSession],
        client_factory: Callable[[], ContractServiceClient],
        *,
        overlap: timedelta = timedelta(seconds=10),
    ) -> None:
        self._engine = engine
        self._sessionmaker = sessionmaker
        self._client_factory = client_factory
        self._overlap = overlap

    async def run(self, *, full: bool = False, force: bool = False) -> SyncResult:
        """An incremental run, or with ``full`` a pass over every contract that also drops
        datasets the registry no longer lists (``force`` re-applies unchanged ones too)."""
        result = SyncResult(mode="full" if full else "incremental")
        async with advisory_lock(self._engine, SYNC_LOCK):
            await self._run_locked(result, full=full, force=force)
        return result

    async def _run_locked(self, result: SyncResult, *, full: bool, force: bool) -> None:
        started = utcnow()
        async with self._sessionmaker() as session:
            state = await get_state(session)
            cursor = state.cursor
            state.last_started_at = started
            await session.commit()

        since = EPOCH if full or cursor is None else max(EPOCH, cursor - self._overlap)
        seen: set[uuid.UUID] = set()
        client = self._client_factory()
        pages = client.pages(since)
        # The next page is fetched while this one is written (HTTP overlaps the database).
        upcoming = asyncio.ensure_future(anext(pages, None))
        try:
            while (documents := await upcoming) is not None:
                upcoming = asyncio.ensure_future(anext(pages, None))
                cursor = await self._apply_page(documents, cursor, result, seen, force=force)
            if full:
                async with self._sessionmaker() as session:
                    result.removed = await delete_datasets_not_in(session, seen)
                    await prune_words(session)
                    await session.commit()
            if result.applied + result.removed >= ANALYZE_AFTER:
                async with self._sessionmaker() as session:
                    await session.execute(text(f"ANALYZE {READ_MODEL_TABLES}"))
                    await session.commit()
        except ContractServiceError as exc:
            result.ok = False
            result.error = str(exc)
            logger.warning("dictionary sync failed, keeping the last good data: %s", exc)
        except Exception as exc:
            # A page that cannot be written: the pages before it are kept, the failure is
            # recorded below (if the database still answers) and the next pass retries.
            result.ok = False
            result.error = f"could not write the read model: {type(exc).__name__}: {exc}"
            logger.exception("dictionary sync failed while writing")
        finally:
            if not upcoming.done():
                upcoming.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await upcoming
            await pages.aclose()
            await client.aclose()
        await self._record_outcome(result)

    async def _apply_page(
        self,
        documents: list[dict[str, Any]],
        cursor: datetime | None,
        result: SyncResult,
        seen: set[uuid.UUID],
        *,
        force: bool,
    ) -> datetime | None:
        keys = [registry_key(document) for document in documents]
        newest = max((key[1] for key in keys if key), default=EPOCH)
        if cursor is None or newest > cursor:
            cursor = newest
        seen.update(key[0] for key in keys if key)
        async with self._sessionmaker() as session:
            # Documents already applied (the overlap re-reads many) are not even parsed.
            stored = {} if force else await stored_versions(session, [k[0] for k in keys if k])
            snapshots: list[ContractSnapshot] = []
            for document, key in zip(documents, keys, strict=True):
                if key is not None and key[0] in stored and stored[key[0]] >= key[1]:
                    continue
                try:
                    snapshots.append(snapshot_from_document(document))
                except UnusableDocumentError as exc:
                    label = str(document.get("name") or document.get("id") or "?")
                    result.skipped.append(label)
                    logger.warning("dictionary sync skips contract %s: %s", label, exc)
            applied = await apply_snapshots(session, snapshots, force=force)
            state = await get_state(session, for_update=True)
            state.cursor = cursor
            await session.commit()
        result.received += len(documents)
        result.applied += applied.applied
        return cursor

    async def _record_outcome(self, result: SyncResult) -> None:
        async with self._sessionmaker() as session:
            state = await get_state(session, for_update=True)
            now = utcnow()
            state.total_runs += 1
            state.last_run_received = result.received
            state.last_run_applied = result.applied
            if result.ok:
                state.last_success_at = now
                state.consecutive_failures = 0
                state.last_error = None
            else:
                state.last_failure_at = now
                state.consecutive_failures += 1
                state.last_error = result.error
            await session.commit()
        if result.ok and (result.applied or result.removed):
            logger.info(
                "dictionary sync (%s): %d received, %d applied, %d removed",
                result.mode,
                result.received,
                result.applied,
                result.removed,
            )
