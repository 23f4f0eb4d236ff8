"""HTML highlights: escape the text, wrap matches in <mark>.

Descriptions come back from ``ts_headline`` with private-use markers around the matched
words (stemming-aware); names are marked here, word by word, by prefix or near spelling
(a typo match has no full-text hit to mark).
"""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

from dictionary_service.search.repository import MARK_END, MARK_START

_NAME_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+|[^A-Za-z0-9]+")
SIMILAR_ENOUGH = 0.75


def mark_headline(headline: str) -> str:
    """``ts_headline`` output (with markers) → escaped HTML with <mark>."""
    escaped = html.escape(headline, quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _part_matches(part: str, terms: list[str]) -> bool:
    word = part.lower()
    if not word.isalnum():
        return False
    for term in terms:
        if word.startswith(term) or (len(word) >= 3 and term.startswith(word)):
            return True
        if len(term) >= 4 and SequenceMatcher(None, word, term).ratio() >= SIMILAR_ENOUGH:
            return True
    return False


def mark_name(name: str, terms: list[str]) -> str:
    """``customer_id`` with terms ["custmer"] → ``<mark>customer</mark>_id``."""
    out: list[str] = []
    for part in _NAME_PART.findall(name):
        escaped = html.escape(part, quote=False)
        out.append(f"<mark>{escaped}</mark>" if terms and _part_matches(part, terms) else escaped)
    return "".join(out)
