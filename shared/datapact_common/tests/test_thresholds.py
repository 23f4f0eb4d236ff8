"""Quality thresholds: durations (plain and ISO 8601) and percentages, with readable errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from datapact_common.exceptions import ThresholdError
from datapact_common.thresholds import (
    Duration,
    Percentage,
    RowRange,
    parse_duration,
    parse_percentage,
    parse_row_range,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("15 minutes", 900),
        ("15 Minutes", 900),
        ("1 minute", 60),
        ("15min", 900),
        ("1h", 3600),
        ("1 hr", 3600),
        ("2 days", 172800),
        ("1d", 86400),
        ("90s", 90),
        ("1.5 hours", 5400),
        ("1 week", 604800),
        ("  30 seconds  ", 30),
        ("PT15M", 900),
        ("pt15m", 900),
        ("PT1H30M", 5400),
        ("P1D", 86400),
        ("P1DT12H", 129600),
        ("PT0.5S", 0.5),
    ],
)
def test_durations_parse(text: str, seconds: float) -> None:
    duration = parse_duration(text)
    assert duration == Duration(seconds)
    assert duration.timedelta == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "expected a number and a unit"),
        ("15", "expected a number and a unit"),
        ("-5 minutes", "expected a number and a unit"),
        ("15 fortnights", "unknown unit 'fortnights'"),
        ("0 minutes", "must be greater than zero"),
        ("PT0M", "must be greater than zero"),
        ("P", "expected a number and a unit"),
        ("", "expected a number and a unit"),
    ],
)
def test_bad_durations_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ThresholdError, match=message):
        parse_duration(text)


def test_a_non_string_duration_is_refused() -> None:
    with pytest.raises(ThresholdError, match="must be a string"):
        parse_duration(15)  # type: ignore[arg-type]


def test_longer_durations_compare_greater() -> None:
    assert parse_duration("1h") > parse_duration("15 minutes")
    assert parse_duration("60 minutes") == parse_duration("1 hour")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (900, "15 minutes"),
        (3600, "1 hour"),
        (172800, "2 days"),
        (90, "90 seconds"),
        (60, "1 minute"),
    ],
)
def test_durations_print_readably(seconds: float, text: str) -> None:
    assert str(Duration(seconds)) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [("99.5%", 99.5), ("100%", 100.0), ("0%", 0.0), (" 99.9 % ", 99.9), ("95", None)],
)
def test_percentages_parse(text: str, value: float | None) -> None:
    if value is None:
        with pytest.raises(ThresholdError, match=r"expected e\.g\. '99\.5%'"):
            parse_percentage(text)
        return
    assert parse_percentage(text) == Percentage(value)


def test_bare_numbers_are_percentages() -> None:
    assert parse_percentage(99.5) == Percentage(99.5)
    assert parse_percentage(100) == Percentage(100.0)
    assert parse_percentage(99.5).fraction == pytest.approx(0.995)
    assert str(Percentage(99.5)) == "99.5%"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("101%", "between 0% and 100%"),
        (150, "between 0% and 100%"),
        ("-1%", "expected e.g. '99.5%'"),
        ("abc", "expected e.g. '99.5%'"),
        (True, "must look like '99.5%'"),
    ],
)
def test_bad_percentages_say_what_is_wrong(value: object, message: str) -> None:
    with pytest.raises(ThresholdError, match=message):
        parse_percentage(value)  # type: ignore[arg-type]


def test_a_threshold_error_is_a_value_error() -> None:
    """So that pydantic reports it as a validation error of the contract."""
    assert issubclass(ThresholdError, ValueError)


def test_row_count_ranges() -> None:
    assert parse_row_range("1000..50000") == RowRange(1000, 50000)
    assert parse_row_range(" 10 .. rows") == RowRange(10, None)
    assert parse_row_range("..5 row") == RowRange(None, 5)
    assert str(parse_row_range("1..2")) == "1..2 rows"
    assert parse_row_range("3..3").holds(3) and not parse_row_range("4..").holds(3)
    for bad in ("..", "5", "-1..3", "9..2", "1..2 cats", "1e3..2e3"):
        with pytest.raises(ThresholdError):
            parse_row_range(bad)
