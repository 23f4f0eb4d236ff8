"""Search: run the query, then turn rows into hits with HTML highlights."""

from __future__ import annotations

import html
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dictionary_service.search import repository
from dictionary_service.search.highlight import mark_headline, mark_name
from dictionary_service.search.schemas import (
    Facets,
    Highlights,
    SearchHit,
    SearchQuery,
    SearchResponse,
)
from dictionary_service.words import query_terms


def _hit(row: dict[str, Any], terms: list[str]) -> SearchHit:
    name = row["field"] if row["kind"] == "field" else row["dataset"]
    description = row["description"]
    headline = row.get("description_headline")
    if headline is not None:
        description_html: str | None = mark_headline(headline)
    elif description is not None:
        description_html = html.escape(description, quote=False)
    else:
        description_html = None
    return SearchHit(
        kind=row["kind"],
        dataset=row["dataset"],
        field=row["field"] if row["kind"] == "field" else None,
        data_type=row["data_type"],
        description=description,
        is_pii=row["is_pii"],
        is_primary_key=row["is_primary_key"],
        is_foreign_key=row["is_foreign_key"],
        foreign_key_reference=row["foreign_key_reference"],
        team=row["team"],
        tags=row["tags"] or [],
        status=row["status"],
        version=row["version"],
        exact=row["exact"],
        score=round(float(row["score"]), 6),
        highlights=Highlights(name=mark_name(name, terms), description=description_html),
    )


async def search(session: AsyncSession, query: SearchQuery) -> SearchResponse:
    rows = await repository.search(session, query)
    terms = query_terms(query.q)
    facets = {key: rows.facets.get(key) or {} for key in Facets.model_fields}
    return SearchResponse(
        query=query.q,
        total=rows.total,
        skip=query.skip,
        limit=query.limit,
        results=[_hit(row, terms) for row in rows.results],
        facets=Facets.model_validate(facets),
    )
