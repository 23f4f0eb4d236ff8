"""Which ``regex`` constraints every engine can run, and the same meaning everywhere.

A contract's pattern is checked by the database that holds the data: PostgreSQL (``~``,
POSIX ARE), MySQL/MariaDB (``REGEXP``: ICU or PCRE2), DuckDB (RE2), and whatever engine is
added later (Snowflake, BigQuery: RE2-like). A pattern is accepted only when it sits in the
subset they all read alike, so a contract never passes on one engine and fails on another
for the same values. The value matches when the pattern is found anywhere in it (anchor
with ``^...$`` for a whole-value match), as SQL's regex operators do.

Refused, with the reason: lookahead/lookbehind, back-references, named groups, atomic
groups, possessive quantifiers, conditionals, ``\\b``/``\\B`` (a backspace in PostgreSQL),
``\\Z`` (not in RE2), and inline flags other than a leading ``(?i)``.
"""

from __future__ import annotations

import functools
import re
import warnings

# The parser behind re.compile; parsing (not compiling) shows the pattern's structure.
from re import _parser  # type: ignore[attr-defined]
from typing import Any

MAX_PATTERN_LENGTH = 1000
# Python's own compiler recurses per group: ~500 nested groups raised RecursionError (a 500
# and thousands of log lines per request). No engine's user needs more than a few levels.
MAX_GROUP_NESTING = 50

_OPCODES = _parser  # ASSERT, GROUPREF, AT_BOUNDARY ... live in the parser's namespace
_REFUSED_OPCODES: dict[Any, str] = {
    _OPCODES.ASSERT: "lookahead/lookbehind (?=...) (?<=...) is not supported by every engine",
    _OPCODES.ASSERT_NOT: "negative lookahead/lookbehind (?!...) is not supported by every engine",
    _OPCODES.GROUPREF: "back-references (\\1) are not supported by every engine",
    _OPCODES.GROUPREF_EXISTS: "conditional groups (?(1)...) are not supported by every engine",
    _OPCODES.ATOMIC_GROUP: "atomic groups (?>...) are not supported by every engine",
    _OPCODES.POSSESSIVE_REPEAT: "possessive quantifiers (*+, ++) are not supported by every engine",
}
_REFUSED_AT: dict[Any, str] = {
    _OPCODES.AT_BOUNDARY: "\\b means a backspace in PostgreSQL, a word boundary elsewhere",
    _OPCODES.AT_NON_BOUNDARY: "\\B is not read alike by every engine",
    _OPCODES.AT_END_STRING: "\\Z is not supported by every engine (use $)",
}
# Flags the parser sets by default or for every str pattern; only (?i) may be added.
_ALLOWED_FLAGS = re.IGNORECASE | re.UNICODE


# Every contract parse checks each of its patterns (the monitor parses every contract of a
# sweep): a pattern found runnable is remembered, a refused one raises each time.
@functools.lru_cache(maxsize=4096)
def check_regex(pattern: str) -> None:
    """Raise ``ValueError`` saying why ``pattern`` cannot be run by every engine."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"pattern is longer than {MAX_PATTERN_LENGTH} characters")
    if "\x00" in pattern:
        raise ValueError("pattern contains a NUL character")
    if group_nesting(pattern) > MAX_GROUP_NESTING:
        raise ValueError(f"pattern nests groups deeper than {MAX_GROUP_NESTING} levels")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "possible nested set" for POSIX classes
            re.compile(pattern)
            parsed = _parser.parse(pattern)
    except re.error as exc:
        raise ValueError(f"pattern does not compile: {exc}") from exc
    except (RecursionError, OverflowError) as exc:  # whatever the nesting bound let through
        raise ValueError("pattern is too complex to compile") from exc
    state = parsed.state
    if state.groupdict:
        raise ValueError("named groups (?P<name>...) are not supported by every engine")
    if state.flags & ~_ALLOWED_FLAGS:
        raise ValueError("only a leading (?i) flag is supported by every engine")
    if state.flags & re.IGNORECASE and not pattern.startswith("(?i)"):
        raise ValueError("(?i) must open the pattern")
    _walk(parsed)


def group_nesting(pattern: str) -> int:
    """The deepest group nesting of a pattern (escapes and character classes skipped)."""
    depth = deepest = 0
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(0, depth - 1)
    return deepest


def _walk(items: Any) -> None:
    for opcode, argument in items:
        if opcode in _REFUSED_OPCODES:
            raise ValueError(_REFUSED_OPCODES[opcode])
        if opcode is _OPCODES.AT and argument in _REFUSED_AT:
            raise ValueError(_REFUSED_AT[argument])
        if opcode is _OPCODES.SUBPATTERN:
            _group, add_flags, del_flags, body = argument
            if add_flags or del_flags:
                raise ValueError("scoped flags (?i:...) are not supported by every engine")
            _walk(body)
        elif opcode in (_OPCODES.MAX_REPEAT, _OPCODES.MIN_REPEAT):
            _walk(argument[2])
        elif opcode is _OPCODES.BRANCH:
            for branch in argument[1]:
                _walk(branch)
