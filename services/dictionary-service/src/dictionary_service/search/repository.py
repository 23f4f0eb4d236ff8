"""The search query: one statement returns the page, the total and the facet counts.

It reads ``search_entries`` (one row per dataset and per field) and, for typos,
``search_words`` (the lexicon of name words).

Matching: the weighted tsvector (name A, description B, keywords C) against a tsquery of
the query's words, the last one as a prefix. When those words find fewer than
``TYPO_FALLBACK_BELOW`` entries, each word is widened with the (up to three) lexicon words
most similar to it by trigrams (``%``, GIN-indexed) and the search runs again with that
query; these hits rank below every word match. That is how ``custmer`` finds
``customer_id``. Ranking: exact name first, then the score.

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
SUGGESTIONS_PER_WORD = 3
# Typo hits rank below any word match of a name (ts_rank of an A-weight hit is ~0.6).
TYPO_WEIGHT = 0.25
TSQUERY = "to_tsquery('english', :tsq)"

# What a hit carries through the statement: its id, the sort key and the facet keys; the
# text columns are read for the page's rows only.
_COLUMNS = "e.id, e.dataset_name, e.position, e.facet_id, e.tag_set_id"

# Constants only (S608): values always travel as bound parameters. Lexicon words are
# [a-z0-9]+ (split identifiers), so they are safe inside a tsquery text.
# typo_hits leaves out the word hits by id: the typo query runs only when there are fewer
# than 20 of them, and the filters are the same, so this is the same set as "does not match
# the words" without matching a second tsquery against each of up to 11,000 typo hits.
_TEXT_HITS = f"""
word_hits AS MATERIALIZED (
  SELECT {_COLUMNS}, (e.name_words = :words) AS exact,
         ts_rank(e.search_vector, {TSQUERY}) AS score
  FROM search_entries e
  WHERE e.search_vector @@ {TSQUERY} {{filters}}
),
typo_query AS (
  SELECT to_tsquery('english', string_agg(alternatives, ' & ' ORDER BY ord)) AS tsq
  FROM (
    SELECT t.ord, '(' || t.term || ':*' || coalesce(' | ' || string_agg(w.word, ' | '), '')
                  || ')' AS alternatives
    FROM unnest(CAST(:terms AS text[])) WITH ORDINALITY AS t(term, ord)
    LEFT JOIN LATERAL (
      SELECT s.word FROM search_words s
      WHERE s.word % t.term ORDER BY similarity(s.word, t.term) DESC, s.word
      LIMIT {SUGGESTIONS_PER_WORD}
    ) w ON TRUE
    WHERE (SELECT count(*) FROM (SELECT FROM word_hits LIMIT {TYPO_FALLBACK_BELOW}) enough)
          < {TYPO_FALLBACK_BELOW}
    GROUP BY t.ord, t.term
  ) per_term
  HAVING count(*) > 0
),
typo_hits AS MATERIALIZED (
  SELECT {_COLUMNS}, (e.name_words = :words) AS exact,
         {TYPO_WEIGHT} * ts_rank(e.search_vector, q.tsq) AS score
  FROM typo_query q JOIN search_entries e ON e.search_vector @@ q.tsq
  WHERE e.id NOT IN (SELECT id FROM word_hits) {{filters}}
),
hits AS NOT MATERIALIZED (SELECT * FROM word_hits UNION ALL SELECT * FROM typo_hits)"""  # noqa: S608

_LIST_HITS = f"""
hits AS MATERIALIZED (
  SELECT {_COLUMNS}, FALSE AS exact, 0.0::real AS score
  FROM search_entries e
  WHERE TRUE {{filters}}
)"""  # noqa: S608

# Two passes over the hits: the page (top-N sort), and one hash aggregate that counts them
# per facet key and per tag-set key. The facets and the total come from those few hundred
# keys (joined to their values), not from the hits.
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
),
key_counts AS MATERIALIZED (
  SELECT facet_id, tag_set_id, count(*) AS n
  FROM hits
  GROUP BY GROUPING SETS ((facet_id), (tag_set_id))
),
groups AS (
  SELECT GROUPING(f.kind, f.data_type, f.is_pii, f.team, f.status) AS grouping_id,
         coalesce(f.kind, f.data_type, f.is_pii::text, f.team, f.status) AS value,
         sum(k.n) AS n
  FROM key_counts k JOIN search_facets f ON f.id = k.facet_id
  GROUP BY GROUPING SETS ((f.kind), (f.data_type), (f.is_pii), (f.team), (f.status))
),
facets AS (
  SELECT CASE grouping_id WHEN 15 THEN 'kind' WHEN 23 THEN 'data_type'
              WHEN 27 THEN 'is_pii' WHEN 29 THEN 'team' ELSE 'status' END AS facet,
         value, n, row_number() OVER (PARTITION BY grouping_id ORDER BY n DESC, value) AS rank
  FROM groups
  WHERE value IS NOT NULL  -- datasets have no data type or PII flag
  UNION ALL
  SELECT 'tag', tag, sum(n), row_number() OVER (ORDER BY sum(n) DESC, tag)
  FROM (SELECT unnest(t.tags) AS tag, k.n
        FROM key_counts k JOIN search_tag_sets t ON t.id = k.tag_set_id) hit_tags
  GROUP BY tag
)
SELECT
  (SELECT coalesce(sum(n), 0) FROM key_counts WHERE facet_id IS NOT NULL) AS total,
  (SELECT coalesce(json_agg(r ORDER BY r.exact DESC, r.score DESC, r.dataset_name, r.position),
                   '[]'::json) FROM page_rows r) AS results,
  (SELECT coalesce(json_object_agg(facet, counts), '{{}}'::json)
   FROM (SELECT facet, json_object_agg(value, n ORDER BY n DESC, value) AS counts
         FROM facets WHERE rank <= {facets} GROUP BY facet) f) AS facets
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
        params.update(
            tsq=tsquery, words=" ".join(terms), terms=terms, headline_options=HEADLINE_OPTIONS
        )
        hits = _TEXT_HITS.format(filters=filter_sql)
        headline = f"ts_headline('english', e.description, {TSQUERY}, :headline_options)"
    statement = _STATEMENT.format(hits=hits, headline=headline, facets=FACET_LIMIT)
    return statement, params


async def search(session: AsyncSession, query: SearchQuery) -> SearchRows:
    statement, params = build_statement(query)
    row = (await session.execute(text(statement), params)).one()
    return SearchRows(total=int(row.total), results=list(row.results), facets=dict(row.facets))
