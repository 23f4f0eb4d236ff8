"""The search query: one statement returns the page, the total and the facet counts.

Matching: the weighted tsvector (name A, description B, tags/team/dataset C) against a
prefix tsquery, OR the trigram word similarity of the name (``%>``, GIN-indexed), which is
what makes ``custmer`` find ``customer_id``. Ranking: exact name first, then
``ts_rank + word_similarity``. Every SQL fragment below is a constant; user input only
ever travels as a bound parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from dictionary_service.search.schemas import HitKind, SearchQuery
from dictionary_service.words import prefix_tsquery, query_terms

# The highlight markers are private-use characters the read model never stores.
MARK_START = "\ue000"
MARK_END = "\ue001"
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, ShortWord=2"
)
FACET_LIMIT = 50

_FIELD_SELECT = """
  SELECT 'field'::text AS kind, f.id AS field_id, f.dataset_id, d.name AS dataset_name,
         f.position, f.data_type, f.is_pii, d.publisher_team AS team, d.tags, d.status,
         {exact} AS exact, {score} AS score
  FROM fields f JOIN datasets d ON d.id = f.dataset_id CROSS JOIN q
  WHERE {where}"""

_DATASET_SELECT = """
  SELECT 'dataset'::text AS kind, NULL::bigint AS field_id, d.id AS dataset_id,
         d.name AS dataset_name, -1 AS position, NULL::varchar AS data_type,
         NULL::boolean AS is_pii, d.publisher_team AS team, d.tags, d.status,
         {exact} AS exact, {score} AS score
  FROM datasets d CROSS JOIN q
  WHERE {where}"""

_STATEMENT = """
WITH q AS (SELECT {tsquery} AS tsq),
hits AS MATERIALIZED ({hits}),
page AS (
  SELECT * FROM hits
  ORDER BY exact DESC, score DESC, dataset_name, position
  LIMIT :limit OFFSET :skip
),
page_rows AS (
  SELECT p.kind, p.exact, p.score, p.dataset_name, p.position,
         d.name AS dataset, f.name AS field, f.data_type, f.is_pii, f.is_primary_key,
         f.is_foreign_key, f.foreign_key_reference, d.publisher_team AS team, d.tags,
         d.status, d.version,
         CASE WHEN p.kind = 'field' THEN f.description ELSE d.description END AS description,
         {headline} AS description_headline
  FROM page p JOIN datasets d ON d.id = p.dataset_id
  LEFT JOIN fields f ON f.id = p.field_id CROSS JOIN q
)
SELECT
  (SELECT count(*) FROM hits) AS total,
  (SELECT coalesce(json_agg(r ORDER BY r.exact DESC, r.score DESC, r.dataset_name, r.position),
                   '[]'::json) FROM page_rows r) AS results,
  json_build_object(
    'kind', (SELECT coalesce(json_object_agg(kind, n ORDER BY n DESC, kind), '{{}}'::json)
             FROM (SELECT kind, count(*) AS n FROM hits GROUP BY kind) x),
    'data_type', (SELECT coalesce(json_object_agg(data_type, n ORDER BY n DESC, data_type),
                                  '{{}}'::json)
                  FROM (SELECT data_type, count(*) AS n FROM hits WHERE kind = 'field'
                        GROUP BY data_type ORDER BY n DESC, data_type LIMIT {facets}) x),
    'is_pii', (SELECT coalesce(json_object_agg(is_pii, n ORDER BY n DESC, is_pii), '{{}}'::json)
               FROM (SELECT is_pii, count(*) AS n FROM hits WHERE kind = 'field'
                     GROUP BY is_pii) x),
    'team', (SELECT coalesce(json_object_agg(team, n ORDER BY n DESC, team), '{{}}'::json)
             FROM (SELECT team, count(*) AS n FROM hits
                   GROUP BY team ORDER BY n DESC, team LIMIT {facets}) x),
    'tag', (SELECT coalesce(json_object_agg(tag, n ORDER BY n DESC, tag), '{{}}'::json)
            FROM (SELECT tag, count(*) AS n FROM hits, unnest(hits.tags) AS tag
                  GROUP BY tag ORDER BY n DESC, tag LIMIT {facets}) x),
    'status', (SELECT coalesce(json_object_agg(status, n ORDER BY n DESC, status), '{{}}'::json)
               FROM (SELECT status, count(*) AS n FROM hits GROUP BY status) x)
  ) AS facets
"""


@dataclass(frozen=True)
class SearchRows:
    total: int
    results: list[dict[str, Any]]
    facets: dict[str, dict[str, int]]


def _parts(alias: str, has_text: bool) -> tuple[str, str, str]:
    """(match condition, exact expression, score expression) for ``fields f``/``datasets d``."""
    if not has_text:
        return "TRUE", "FALSE", "0.0::real"
    match = f"({alias}.search_vector @@ q.tsq OR {alias}.name_words %> :words)"
    exact = f"({alias}.name_words = :words)"
    score = f"(ts_rank({alias}.search_vector, q.tsq) + word_similarity(:words, {alias}.name_words))"
    return match, exact, score


def build_statement(query: SearchQuery) -> tuple[str, dict[str, Any]] | None:
    """The statement and its parameters; None when the filters can match nothing."""
    terms = query_terms(query.q)
    tsquery = prefix_tsquery(terms)
    has_text = tsquery is not None
    params: dict[str, Any] = {"limit": query.limit, "skip": query.skip}
    if has_text:
        params["tsq"] = tsquery
        params["words"] = " ".join(terms)
        params["headline_options"] = HEADLINE_OPTIONS

    shared: list[str] = []
    if query.team:
        shared.append("d.publisher_team = :team")
        params["team"] = query.team
    if query.tag:
        shared.append("d.tags @> ARRAY[CAST(:tag AS varchar)]")
        params["tag"] = query.tag
    if query.status:
        shared.append("d.status = :status")
        params["status"] = query.status.value
    field_only: list[str] = []
    if query.data_type:
        field_only.append("f.data_type = :data_type")
        params["data_type"] = query.data_type.value
    if query.is_pii is not None:
        field_only.append("f.is_pii = :is_pii")
        params["is_pii"] = query.is_pii

    selects: list[str] = []
    if query.kind in (None, HitKind.FIELD):
        match, exact, score = _parts("f", has_text)
        where = " AND ".join([match, *shared, *field_only])
        selects.append(_FIELD_SELECT.format(exact=exact, score=score, where=where))
    # Datasets have no data type or PII flag: those filters ask for fields only.
    if query.kind in (None, HitKind.DATASET) and not field_only:
        match, exact, score = _parts("d", has_text)
        where = " AND ".join([match, *shared])
        selects.append(_DATASET_SELECT.format(exact=exact, score=score, where=where))

    if not selects:
        return None
    headline = (
        "CASE WHEN p.kind = 'field' THEN "
        "ts_headline('english', f.description, q.tsq, :headline_options) "
        "ELSE ts_headline('english', d.description, q.tsq, :headline_options) END"
        if has_text
        else "NULL::text"
    )
    statement = _STATEMENT.format(
        tsquery="to_tsquery('english', :tsq)" if has_text else "NULL::tsquery",
        hits="\n  UNION ALL".join(selects),
        headline=headline,
        facets=FACET_LIMIT,
    )
    return statement, params


async def search(session: AsyncSession, query: SearchQuery) -> SearchRows:
    built = build_statement(query)
    if built is None:
        return SearchRows(total=0, results=[], facets={})
    statement, params = built
    row = (await session.execute(text(statement), params)).one()
    return SearchRows(total=int(row.total), results=list(row.results), facets=dict(row.facets))
