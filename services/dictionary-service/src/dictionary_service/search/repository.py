"""The search query: one statement returns the page, the total and the facet counts.

All of it reads ``search_entries`` (one row per dataset and per field).

Matching: the weighted tsvector (name A, description B, keywords C) against a prefix
tsquery of the query's words. When those words find fewer than ``TYPO_FALLBACK_BELOW``
entries, names within trigram word similarity (``%>``, GIN-indexed) are added, ranked
below word matches: that is what makes ``custmer`` find ``customer_id`` without paying
for a trigram scan on every query. Ranking: exact name first, then the score.

Every SQL fragment below is a constant; user input only travels as bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from dictionary_service.search.schemas import SearchQuery
from dictionary_service.words import prefix_tsquery, query_terms

# The highlight markers are private-use characters the read model never stores.
MARK_START = "\ue000"
MARK_END = "\ue001"
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, ShortWord=2"
)
FACET_LIMIT = 50
TYPO_FALLBACK_BELOW = 20
# A misspelt name ranks below any word match of a name (ts_rank of an A-weight hit ~0.6).
TYPO_WEIGHT = 0.5
TSQUERY = "to_tsquery('english', :tsq)"

_COLUMNS = (
    "e.id, e.kind, e.dataset_name, e.position, e.data_type, e.is_pii, e.team, e.tags, e.status"
)

# Constants only (S608): values always travel as bound parameters.
_TEXT_HITS = f"""
word_hits AS MATERIALIZED (
  SELECT {_COLUMNS}, (e.name_words = :words) AS exact,
         ts_rank(e.search_vector, {TSQUERY}) AS score
  FROM search_entries e
  WHERE e.search_vector @@ {TSQUERY} {{filters}}
),
typo_hits AS MATERIALIZED (
  SELECT {_COLUMNS}, (e.name_words = :words) AS exact,
         {TYPO_WEIGHT} * word_similarity(:words, e.name_words) AS score
  FROM search_entries e
  WHERE (SELECT count(*) FROM word_hits) < {TYPO_FALLBACK_BELOW}
    AND e.name_words %> :words AND NOT (e.search_vector @@ {TSQUERY}) {{filters}}
),
hits AS MATERIALIZED (SELECT * FROM word_hits UNION ALL SELECT * FROM typo_hits)"""  # noqa: S608

_LIST_HITS = f"""
hits AS MATERIALIZED (
  SELECT {_COLUMNS}, FALSE AS exact, 0.0::real AS score
  FROM search_entries e
  WHERE TRUE {{filters}}
)"""  # noqa: S608

_STATEMENT = """
WITH {hits},
page AS (
  SELECT * FROM hits
  ORDER BY exact DESC, score DESC, dataset_name, position
  LIMIT :limit OFFSET :skip
),
page_rows AS (
  SELECT p.exact, p.score, p.dataset_name, p.position, e.kind, e.dataset_name AS dataset,
         e.field_name AS field, e.data_type, e.is_pii, e.is_primary_key, e.is_foreign_key,
         e.foreign_key_reference, e.team, e.tags, e.status, e.version, e.description,
         {headline} AS description_headline
  FROM page p JOIN search_entries e ON e.id = p.id
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


def build_statement(query: SearchQuery) -> tuple[str, dict[str, Any]]:
    terms = query_terms(query.q)
    tsquery = prefix_tsquery(terms)
    params: dict[str, Any] = {"limit": query.limit, "skip": query.skip}
    filters: list[str] = []
    if query.kind:
        filters.append("e.kind = :kind")
        params["kind"] = query.kind.value
    # Datasets have no data type or PII flag (NULL): these filters select fields only.
    if query.data_type:
        filters.append("e.data_type = :data_type")
        params["data_type"] = query.data_type.value
    if query.is_pii is not None:
        filters.append("e.is_pii = :is_pii")
        params["is_pii"] = query.is_pii
    if query.team:
        filters.append("e.team = :team")
        params["team"] = query.team
    if query.tag:
        filters.append("e.tags @> ARRAY[CAST(:tag AS varchar)]")
        params["tag"] = query.tag
    if query.status:
        filters.append("e.status = :status")
        params["status"] = query.status.value
    filter_sql = "".join(f" AND {f}" for f in filters)

    if tsquery is None:
        hits = _LIST_HITS.format(filters=filter_sql)
        headline = "NULL::text"
    else:
        params.update(tsq=tsquery, words=" ".join(terms), headline_options=HEADLINE_OPTIONS)
        hits = _TEXT_HITS.format(filters=filter_sql)
        headline = f"ts_headline('english', e.description, {TSQUERY}, :headline_options)"
    statement = _STATEMENT.format(hits=hits, headline=headline, facets=FACET_LIMIT)
    return statement, params


async def search(session: AsyncSession, query: SearchQuery) -> SearchRows:
    statement, params = build_statement(query)
    row = (await session.execute(text(statement), params)).one()
    return SearchRows(total=int(row.total), results=list(row.results), facets=dict(row.facets))
