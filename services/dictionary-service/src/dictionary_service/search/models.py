"""The search read model: one narrow row per searchable thing (a dataset or a field).

Everything a search filters, ranks and shows is on the row, so a query is one index scan
of one table. Rows are written by the sync next to the catalog rows and deleted with their
dataset (ON DELETE CASCADE).

Facets are counted over integer keys, not over the text columns: each entry points at its
``search_facets`` row (kind, data type, PII flag, team, status) and its ``search_tag_sets``
row (the dataset's tags). A query with 11,000 hits then groups 11,000 pairs of integers into
a few hundred keys and expands only those to text, instead of hashing six text columns of
every hit.
"""

from __future__ import annotations

import uuid

from sqlalchemy import (
    BigInteger,
    Boolean,
    Computed,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from dictionary_service.base import Base

# Weighted document: name (A) over description (B) over keywords (C: a dataset's tags and
# team). Every function here is IMMUTABLE, as a generated column requires.
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('english'::regconfig, name_words), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, keywords), 'C')"
)

# GIN's fast update queues new entries in a pending list that every search scans linearly
# until it is merged. With the default 4 MB a sync leaves ~30,000 entries there (measured:
# +2-10 ms per search on 200,000 fields, until autovacuum merges them); 64 kB merges every
# few hundred entries, at no measurable cost to the sync.
GIN_PENDING_LIST_KB = 64
GIN_WITH = {"gin_pending_list_limit": GIN_PENDING_LIST_KB}


class SearchEntry(Base):
    __tablename__ = "search_entries"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    dataset_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))  # "dataset" | "field"
    dataset_name: Mapped[str] = mapped_column(String(255))
    field_name: Mapped[str | None] = mapped_column(String(255))
    # -1 for the dataset itself, so a listing shows a dataset before its fields.
    position: Mapped[int] = mapped_column(Integer)
    # Identifier split into lower-case words ("customerID" -> "customer id").
    name_words: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(Text)
    data_type: Mapped[str | None] = mapped_column(String(32))
    is_pii: Mapped[bool | None] = mapped_column(Boolean)
    is_primary_key: Mapped[bool | None] = mapped_column(Boolean)
    is_foreign_key: Mapped[bool | None] = mapped_column(Boolean)
    foreign_key_reference: Mapped[str | None] = mapped_column(String(512))
    team: Mapped[str] = mapped_column(String(255))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(100)))
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(64))
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, Computed(SEARCH_VECTOR_SQL, persisted=True)
    )
    # Facet keys (see SearchFacet, SearchTagSet). No foreign keys: the sync writes the key
    # rows before the entries, and only a full pass, under the sync lock, prunes unused ones.
    facet_id: Mapped[int] = mapped_column(Integer)
    tag_set_id: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index(
            "ix_search_entries_search_vector",
            "search_vector",
            postgresql_using="gin",
            postgresql_with=GIN_WITH,
        ),
        Index("ix_search_entries_tags", "tags", postgresql_using="gin", postgresql_with=GIN_WITH),
        Index("ix_search_entries_team", "team"),
        Index("ix_search_entries_data_type", "data_type"),
        Index("ix_search_entries_pii", "is_pii", postgresql_where=text("is_pii")),
    )


class SearchWord(Base):
    """The lexicon: every word of every indexed name, with a trigram index.

    A misspelt query word is corrected against this small table (the pattern the pg_trgm
    documentation recommends next to full-text search) instead of comparing trigrams with
    every one of the hundreds of thousands of names.
    """

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(String(255), primary_key=True)

    __table_args__ = (
        Index(
            "ix_search_words_word_trgm",
            "word",
            postgresql_using="gin",
            postgresql_ops={"word": "gin_trgm_ops"},
        ),
    )


class SearchFacet(Base):
    """One distinct (kind, data type, PII flag, team, status) of the search entries."""

    __tablename__ = "search_facets"

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    data_type: Mapped[str | None] = mapped_column(String(32))
    is_pii: Mapped[bool | None] = mapped_column(Boolean)
    team: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20))

    __table_args__ = (
        Index(
            "ux_search_facets_values",
            "team",
            "kind",
            "data_type",
            "is_pii",
            "status",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
    )


class SearchTagSet(Base):
    """One distinct tag list of the search entries (a dataset's tags, in its order)."""

    __tablename__ = "search_tag_sets"

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(100)))

    __table_args__ = (Index("ux_search_tag_sets_tags", "tags", unique=True),)
