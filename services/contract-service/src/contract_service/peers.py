"""Best-effort calls to peer services after a committed change."""

from __future__ import annotations

import asyncio
import logging

import httpx

from contract_service.background import spawn
from contract_service.config import get_settings
from datapact_common.token_source import TokenSource
from datapact_common.tokens import Service

logger = logging.getLogger(__name__)


class DictionaryNudger:
    """Asks the dictionary to sync now (it also syncs on its own schedule).

    At most one request is in flight per process; nudges that arrive meanwhile are
    folded into one follow-up, so a burst of writes costs the dictionary two syncs.
    """

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._tokens = TokenSource(
            lambda: get_settings().datapact_secret_key, Service.CONTRACTS, Service.DICTIONARY
        )

    def request(self) -> None:
        if not get_settings().dictionary_nudge_enabled:
            return
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._run())
        spawn(self._task)

    async def _run(self) -> None:
        while True:
            self._again = False
            await self._post()
            if not self._again:
                return

    async def _post(self) -> None:
        settings = get_settings()
        url = settings.dictionary_service_url.rstrip("/") + "/api/v1/dictionary/sync"
        try:
            async with httpx.AsyncClient(
                timeout=settings.dictionary_nudge_timeout_seconds
            ) as client:
                response = await client.post(url, headers=self._tokens.headers())
            if response.status_code >= 400:
                logger.info("dictionary sync nudge answered %s", response.status_code)
        except httpx.HTTPError as exc:
            logger.info("dictionary sync nudge failed: %s", exc)


dictionary_nudger = DictionaryNudger()


def nudge_dictionary() -> None:
    """After-commit hook: request a dictionary sync without waiting for it."""
    dictionary_nudger.request()
