"""Which regex patterns and expressions every engine can run (datapact_common.regex_rules,
datapact_common.expressions)."""

from __future__ import annotations

import pytest

from datapact_common.expressions import MAX_EXPRESSION_LENGTH, parse_expression
from datapact_common.regex_rules import MAX_PATTERN_LENGTH, check_regex


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        "^[A-Z]{2}$",
        r"\d{3}-\d{4}",
        "(?i)^abc",
        "[[:alpha:]]+",
        "^(a|b)+(c)?$",
        "^x{2,5}?$",
    ],
)
def test_portable_patterns_are_accepted(pattern: str) -> None:
    check_regex(pattern)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(?<=a)b", "lookahead/lookbehind"),
        ("a(?!b)", "negative lookahead"),
        (r"(a)\1", "back-references"),
        ("(a)?(?(1)b|c)", "conditional groups"),
        ("(?>ab)", "atomic groups"),
        ("a++", "possessive"),
        (r"\bword\b", "backspace in PostgreSQL"),
        (r"\Bx", "\\B"),
        (r"end\Z", "use $"),
        ("(?P<year>\\d{4})", "named groups"),
        ("(?s)a.b", "only a leading (?i)"),
        ("x(?i:y)", "scoped flags"),
        ("([", "does not compile"),
        ("a" * (MAX_PATTERN_LENGTH + 1), "longer than"),
        ("a\x00", "NUL"),
    ],
)
def test_patterns_some_engine_reads_otherwise_are_refused(pattern: str, reason: str) -> None:
    with pytest.raises(ValueError, match=r".") as caught:
        check_regex(pattern)
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("price > 0", {"price"}),
        ("end_date >= start_date", {"end_date", "start_date"}),
        ("status IN ('a', 'b') OR status IS NULL", {"status"}),
        ("qty BETWEEN 1 AND 10", {"qty"}),
        ("NOT (code LIKE 'X%')", {"code"}),
        ("length(trim(name)) > 0", {"name"}),
        ("coalesce(discount, 0) <= price * 0.5", {"discount", "price"}),
        ("amount % 2 = 0", {"amount"}),
        ("CAST(code AS INT) > 0", {"code"}),
        ("TRUE", set()),
    ],
)
def test_pure_boolean_expressions_are_accepted(text: str, columns: set[str]) -> None:
    assert parse_expression(text).columns == columns


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("random() < 0.5", "RAND() is not allowed"),
        ("now() > created_at", "NOW() is not allowed"),
        ("current_date > created_at", "CURRENT_DATE is not allowed"),
        ("nextval('s') > 0", "is not allowed"),
        ("pg_sleep(5) IS NULL", "PG_SLEEP(5) is not allowed"),
        ("price > (SELECT max(price) FROM other)", "SUBQUERY is not allowed"),
        ("price IN (SELECT 1)", "not a sub-query"),
        ("EXISTS (SELECT 1)", "must be true or false"),
        ("price + 1", "must be true or false"),
        ("price", "must be true or false"),
        ("o.price > 0", "plain field name"),
        ("price > 0; DELETE FROM t", "single boolean expression"),
        ("CAST(price AS INTERVAL) > 0", "CAST to INTERVAL"),
        ("price >", "does not parse"),
        ("a > 0 AND " * 300 + "a > 0", "longer than"),
    ],
)
def test_impure_or_non_boolean_expressions_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=r".") as caught:
        parse_expression(text)
    assert reason in str(caught.value)


def test_an_expression_has_a_size_bound() -> None:
    assert MAX_EXPRESSION_LENGTH <= 10_000
    deep = " AND ".join(f"c{i}>0" for i in range(70))
    with pytest.raises(ValueError, match="more than 200 parts"):
        parse_expression(deep)
