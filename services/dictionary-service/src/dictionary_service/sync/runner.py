"""The background sync loop of a running dictionary-api.

It runs on start, then every ``interval`` seconds and whenever nudged. Nudges that arrive
while a run is in progress coalesce into one follow-up run (the change that caused them
may have committed after the running pass read its page).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from dictionary_service.catalog.schemas import SyncStatus
from dictionary_service.sync.repository import read_state
from dictionary_service.sync.service import Synchronizer, SyncResult

logger = logging.getLogger(__name__)


class SyncRunner:
    def __init__(
        self,
        synchronizer: Synchronizer,
        *,
        interval: float | None,
        reconcile_interval: float | None = None,
    ) -> None:
        self._synchronizer = synchronizer
        self._interval = interval
        self._reconcile_interval = reconcile_interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._running = False
        self._last_reconcile = time.monotonic()
        self.last_result: SyncResult | None = None

    @property
    def running(self) -> bool:
        """True while a sync pass is in progress."""
        return self._running

    @property
    def pending(self) -> bool:
        """True when a pass has been asked for (nudge) and has not started yet."""
        return self._wake.is_set()

    async def status(self, session: AsyncSession) -> SyncStatus:
        """The stored sync state, with what this process's loop is doing now."""
        state = await read_state(session)
        return (SyncStatus.model_validate(state) if state else SyncStatus()).model_copy(
            update={"running": self.running, "pending": self.pending}
        )

    def nudge(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="dictionary-sync")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            await self._run_once()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._interval)

    async def _run_once(self) -> None:
        full = self._reconcile_due()
        self._running = True
        try:
            self.last_result = await self._synchronizer.run(full=full)
            if full and self.last_result.ok:
                self._last_reconcile = time.monotonic()
        except asyncio.CancelledError:
            raise
        except (DBAPIError, OSError) as exc:
            # The read model's own database is unreachable: keep serving what is there
            # (or 503s) and try again on the next tick.
            logger.warning("dictionary sync run failed, database unavailable: %s", exc)
        except Exception:
            logger.exception("dictionary sync run failed")
        finally:
            self._running = False

    def _reconcile_due(self) -> bool:
        if not self._reconcile_interval:
            return False
        return time.monotonic() - self._last_reconcile >= self._reconcile_interval
