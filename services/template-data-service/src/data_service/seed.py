"""Seed the example dataset: ``python -m data_service.seed --rows 5000`` (idempotent)."""

from __future__ import annotations

import argparse
import asyncio
import json

from data_service import dataset
from data_service.config import Settings
from data_service.database import sessionmaker_for
from datapact_common.db import make_engine


async def seed(database_url: str, rows: int, seed_value: int) -> dict[str, dict[str, int]]:
    engine = make_engine(database_url)
    try:
        async with sessionmaker_for(engine)() as session, session.begin():
            report = await dataset.seed(session, rows, seed_value)
    finally:
        await engine.dispose()
    return {"inserted": report.inserted, "totals": report.totals}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000, help="number of orders (default 5000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (same seed, same data)")
    parser.add_argument(
        "--database-url", help="default: TEMPLATE_DATABASE_URL, DATABASE_URL or the local default"
    )
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    url = args.database_url or Settings().database_url
    print(json.dumps(asyncio.run(seed(url, args.rows, args.seed))))


if __name__ == "__main__":
    main()
