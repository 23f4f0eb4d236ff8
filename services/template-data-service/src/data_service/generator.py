"""Keeps the example dataset fresh while the API runs (GENERATOR_ENABLED,
GENERATOR_INTERVAL_SECONDS, GENERATOR_BATCH_SIZE). A service with real data drops this."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data_service import dataset

logger = logging.getLogger(__name__)

Step = Callable[[AsyncSession, random.Random, int], Awaitable[dict[str, int]]]


async def run_step(
    sessionmaker: async_sessionmaker[AsyncSession],
    rng: random.Random,
    batch_size: int,
    step: Step = dataset.refresh,
) -> dict[str, int]:
    """One step in its own transaction (committed here: the generator is not a request)."""
    async with sessionmaker() as session, session.begin():
        return await step(session, rng, batch_size)


class Generator:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        interval_seconds: float,
        batch_size: int,
        step: Step = dataset.refresh,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.interval = interval_seconds
        self.batch_size = batch_size
        self.step = step
        self.rng = random.Random()  # noqa: S311 - fake data, not security
        self.steps_done = 0
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="dataset-generator")

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                written = await run_step(self.sessionmaker, self.rng, self.batch_size, self.step)
                self.steps_done += 1
                logger.debug("generator step wrote %s", written)
            except Exception as exc:  # keep going: the database may come back
                logger.warning("generator step failed: %s", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.interval)

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task
