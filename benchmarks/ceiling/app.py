"""The benchmarks' ceiling: the least an HTTP API can do for the same reads and writes.

FastAPI + asyncpg, no auth, no validation, no ORM, on the benchmark's own database:
- ``GET /api/v1/contracts/name/{name}`` returns the stored ``document_json`` bytes of the
  contract-service's ``contracts`` table;
- ``POST /api/v1/contracts`` inserts the raw document into a scratch table;
- ``POST /api/v1/events`` is one ``INSERT ... ON CONFLICT DO NOTHING`` of the event by id.

The services' figures are reported as ratios of these, measured in the same run with the same
number of uvicorn workers: ratios measure the code, not the machine's mood.

    CEILING_DSN=postgresql://... uvicorn app:app --app-dir benchmarks/ceiling
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg  # type: ignore[import-untyped]
from fastapi import FastAPI, Request, Response

DSN = os.environ["CEILING_DSN"]
pool: asyncpg.Pool | None = None


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    global pool
    pool = await asyncpg.create_pool(DSN, min_size=2, max_size=20)
    async with pool.acquire() as connection:
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS ceiling_inserts (name text PRIMARY KEY, document jsonb);"
            "CREATE TABLE IF NOT EXISTS ceiling_events (id uuid PRIMARY KEY, event jsonb)"
        )
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/contracts/name/{name}")
async def by_name(name: str) -> Response:
    assert pool is not None
    document = await pool.fetchval("SELECT document_json FROM contracts WHERE name = $1", name)
    if document is None:
        return Response(status_code=404)
    return Response(document.encode(), media_type="application/json")


@app.post("/api/v1/contracts")
async def create(request: Request) -> Response:
    assert pool is not None
    body = await request.body()
    document = await request.json()
    await pool.execute(
        "INSERT INTO ceiling_inserts (name, document) VALUES ($1, $2::jsonb)",
        document["name"],
        body.decode(),
    )
    return Response(body, status_code=201, media_type="application/json")


@app.post("/api/v1/events")
async def ingest(request: Request) -> Response:
    assert pool is not None
    body = await request.body()
    event = await request.json()
    await pool.execute(
        "INSERT INTO ceiling_events (id, event) VALUES ($1, $2::jsonb) ON CONFLICT DO NOTHING",
        event["id"],
        body.decode(),
    )
    return Response(b'{"accepted": 1}', status_code=202, media_type="application/json")
