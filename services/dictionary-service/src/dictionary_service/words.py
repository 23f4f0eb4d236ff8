"""Identifier and query text handling shared by indexing and search.

Identifiers are split into words so full-text search sees ``customer_id`` and
``customerID`` as "customer id"; the same split turns a query into tsquery terms.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_QUERY_TOKEN = re.compile(r"[A-Za-z0-9]+")


def identifier_words(name: str) -> str:
    """``customerID_v2`` → ``"customer id v 2"``; lower case, space separated."""
    return " ".join(part.lower() for part in _WORD.findall(name))


def query_terms(query: str) -> list[str]:
    """Lower-case words of a search query, identifiers split like indexed names."""
    terms: list[str] = []
    for token in _QUERY_TOKEN.findall(query):
        terms.extend(identifier_words(token).split())
    return terms


def prefix_tsquery(terms: list[str]) -> str | None:
    """A ``to_tsquery`` text: every term must match, the last one as a prefix.

    Terms are ``[a-z0-9]+`` only, so the result cannot carry tsquery operators.
    """
    if not terms:
        return None
    parts = [*terms[:-1], f"{terms[-1]}:*"]
    return " & ".join(parts)


def keywords(*groups: list[str] | str | None) -> str:
    """Words of tags and team names, for the low-weight part of the search vector."""
    out: list[str] = []
    for group in groups:
        if not group:
            continue
        for item in [group] if isinstance(group, str) else group:
            out.append(" ".join(query_terms(item)))
    return " ".join(w for w in out if w)
