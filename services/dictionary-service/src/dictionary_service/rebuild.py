"""``python -m dictionary_service.rebuild``: re-read every contract from the registry.

Every dataset is rewritten and datasets the registry no longer lists are removed. Searches
keep working meanwhile (each page commits on its own). Exits 1, keeping the current data,
when the contract-service cannot be read.
"""

from __future__ import annotations

import asyncio
import sys

from datapact_common.db import make_sessionmaker
from dictionary_service.config import get_settings
from dictionary_service.database import create_engine
from dictionary_service.sync.setup import make_synchronizer


async def rebuild() -> int:
    settings = get_settings()
    engine = create_engine(settings.database_url)
    try:
        synchronizer = make_synchronizer(settings, engine, make_sessionmaker(engine))
        result = await synchronizer.run(full=True, force=True)
    finally:
        await engine.dispose()
    if not result.ok:
        print(f"rebuild failed, the dictionary keeps its data: {result.error}", file=sys.stderr)
        return 1
    print(
        f"rebuild done: {result.received} contracts read, {result.applied} written, "
        f"{result.removed} removed, {len(result.skipped)} skipped"
        + (f" ({', '.join(result.skipped)})" if result.skipped else "")
    )
    return 0


def main() -> None:
    get_settings().configure_logging()
    sys.exit(asyncio.run(rebuild()))


if __name__ == "__main__":
    main()
