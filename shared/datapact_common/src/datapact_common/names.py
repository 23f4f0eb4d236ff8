"""Names that identify someone or something: teams, owners, subscriber teams, token teams.

A name is shown in the dashboard, in e-mails, in logs and in the ERD, and compared byte for
byte when deciding who may write what. Characters that do not show, or that change how the
text around them is shown, would let two different names look the same ("commerce" and
"commerce" with a zero-width space) or let a name rewrite the line it is printed on (a
newline, a right-to-left override). :func:`check_name` refuses them:

- control characters (Unicode category Cc: newlines, tabs, NUL, ESC, ...);
- format characters (Cf: zero-width spaces and joiners, the byte order mark, the bidi
  embeddings, overrides and isolates U+202A-U+202E, U+2066-U+2069, soft hyphen, ...);
- line and paragraph separators (Zl, Zp: U+2028, U+2029).
"""

from __future__ import annotations

import unicodedata

_REFUSED_CATEGORIES = {
    "Cc": "a control character",
    "Cf": "an invisible formatting character (zero-width or bidi)",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}


def name_problem(value: str) -> str | None:
    """Why ``value`` is not a usable name, or None."""
    for position, char in enumerate(value):
        kind = _REFUSED_CATEGORIES.get(unicodedata.category(char))
        if kind is not None:
            return f"contains {kind} (U+{ord(char):04X}) at position {position}"
    return None


def check_name(value: str) -> str:
    """``value`` unchanged, or ValueError saying which character is refused (a pydantic
    ``AfterValidator``)."""
    problem = name_problem(value)
    if problem is not None:
        raise ValueError(f"name {value!r:.60} {problem}; names are shown and compared as written")
    return value
