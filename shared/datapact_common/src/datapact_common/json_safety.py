"""Whether a parsed document can be stored as JSON and read back exactly, by PostgreSQL
(text, JSONB) and by every client: no NUL characters or lone surrogates, no NaN/Infinity,
integers within 64 bits, string keys only, nesting and size within the document bounds of
:mod:`datapact_common.yaml_io` (a small YAML body with aliases would otherwise explode in
memory once serialized). One check for every service that stores what callers send.
"""

from __future__ import annotations

import math
from typing import Any, NoReturn

from datapact_common.exceptions import InvalidRequestError, PayloadTooLargeError
from datapact_common.yaml_io import MAX_DOCUMENT_DEPTH, MAX_DOCUMENT_VALUES

MAX_DEPTH = MAX_DOCUMENT_DEPTH
MAX_VALUES = MAX_DOCUMENT_VALUES

INT_MIN, INT_MAX = -(2**63), 2**63 - 1


def ensure_json_safe(data: Any, *, root: str = "") -> None:
    """Raise a 422 naming the first value that cannot be stored as JSON exactly (413 past
    ``MAX_VALUES`` values, YAML aliases counted each time they are used)."""
    if _is_json_safe(data):
        return
    _raise_first_problem(data, root)


def _is_json_safe(data: Any) -> bool:
    """The checks of :func:`_raise_first_problem` without building a location for every
    value (most of the walk's cost): whether there is nothing to raise.

    Only containers go on the stack; the scalars in them are checked where they are met (a
    stack entry per value was most of this check's time on the compliance monitor's result
    batches). The answer is the same: every limit is a property of the whole document."""
    if type(data) is not dict and type(data) is not list:
        return _scalar_is_safe(data)
    values = 1
    stack: list[tuple[Any, int]] = [(data, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        container, depth = pop()
        depth += 1  # the depth of its items
        values += len(container)
        if values > MAX_VALUES or (depth > MAX_DEPTH and container):
            return False
        if type(container) is dict:
            for key in container:
                if type(key) is not str or "\x00" in key or not (key.isascii() or _encodes(key)):
                    return False
            items = container.values()
        else:
            items = container
        for value in items:
            kind = type(value)
            if kind is str:
                if "\x00" in value or not (value.isascii() or _encodes(value)):
                    return False
            elif kind is dict or kind is list:
                push((value, depth))
            elif kind is bool or value is None:
                continue
            elif kind is int:
                if not INT_MIN <= value <= INT_MAX:
                    return False
            elif kind is float:
                if not math.isfinite(value):
                    return False
            else:
                return False  # a subclass or another type: the full walk decides
    return True


def _scalar_is_safe(value: Any) -> bool:
    kind = type(value)
    if kind is str:
        return "\x00" not in value and (value.isascii() or _encodes(value))
    if kind is bool or value is None:
        return True
    if kind is int:
        return bool(INT_MIN <= value <= INT_MAX)
    if kind is float:
        return math.isfinite(value)
    return False


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _raise_first_problem(data: Any, root: str) -> None:
    values = 0
    stack: list[tuple[Any, str, int]] = [(data, root, 0)]
    while stack:
        value, loc, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            raise PayloadTooLargeError(
                f"document too large: more than {MAX_VALUES} values (YAML aliases count "
                "each time they are used)"
            )
        if depth > MAX_DEPTH:
            _invalid(loc, f"nested deeper than {MAX_DEPTH} levels", "too_deep")
        if isinstance(value, str):
            _check_text(value, loc)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not INT_MIN <= value <= INT_MAX:
                _invalid(loc, "integer outside the 64-bit range", "int_range")
        elif isinstance(value, float):
            if not math.isfinite(value):
                _invalid(loc, "NaN and Infinity are not JSON numbers", "float_finite")
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    _invalid(loc, f"keys must be strings, got {key!r}", "key_type")
                _check_text(key, loc)
                stack.append((item, f"{loc}.{key}" if loc else key, depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((item, f"{loc}.{index}" if loc else str(index), depth + 1))
        else:
            _invalid(loc, f"{type(value).__name__} values are not allowed in JSON", "json_type")


def _check_text(text: str, loc: str) -> None:
    if "\x00" in text:
        _invalid(loc, "text must not contain NUL (\\u0000) characters", "string_nul")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        _invalid(loc, "text is not valid Unicode (lone surrogate)", "string_unicode")


def _invalid(loc: str, message: str, kind: str) -> NoReturn:
    where = loc or "(document)"
    raise InvalidRequestError(
        f"invalid value at {where}: {message}",
        [{"loc": where, "message": message, "type": kind}],
    )
