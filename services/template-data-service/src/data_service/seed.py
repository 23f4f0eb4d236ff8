"""Seed the example database: ``python -m data_service.seed --rows 5000`` (idempotent).

Fills the shop (``--rows`` orders, under contract.yaml) and the example organisation's
tables in schema ``acme`` (under examples/acme, a few problems planted on purpose:
``data_service.dataset.acme``); ``--no-acme`` leaves the latter out."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from data_service import dataset
from data_service.config import Settings
from data_service.database import sessionmaker_for
from data_service.dataset.acme import seed_acme
from datapact_common.db import make_engine


async def seed(
    database_url: str, rows: int, seed_value: int, acme: bool = True
) -> dict[str, dict[str, Any]]:
    engine = make_engine(database_url)
    try:
        async with sessionmaker_for(engine)() as session, session.begin():
            report = await dataset.seed(session, rows, seed_value)
            example = await seed_acme(session, seed_value) if acme else None
    finally:
        await engine.dispose()
    result: dict[str, dict[str, Any]] = {"inserted": report.inserted, "totals": report.totals}
    if example is not None:
        result["acme"] = example
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000, help="number of orders (default 5000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (same seed, same data)")
    parser.add_argument(
        "--database-url", help="default: TEMPLATE_DATABASE_URL, DATABASE_URL or the local default"
    )
    parser.add_argument(
        "--no-acme",
        action="store_true",
        help="only the shop, not the example organisation's tables (schema acme)",
    )
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    url = args.database_url or Settings().database_url
    print(json.dumps(asyncio.run(seed(url, args.rows, args.seed, not args.no_acme))))


if __name__ == "__main__":
    main()
