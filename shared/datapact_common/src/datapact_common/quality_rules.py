"""ODCS v3 quality rules a contract declares: ``library`` metrics and ``sql`` queries.

A rule measures one number and compares it with exactly one threshold, spelled as ODCS
spells them (``mustBe``, ``mustNotBe``, ``mustBeGreaterThan``, ``mustBeGreaterOrEqualTo``,
``mustBeLessThan``, ``mustBeLessOrEqualTo``, ``mustBeBetween``, ``mustNotBeBetween``):

- ``rowCount`` (table): the rows of the table;
- ``nullValues`` (field): rows whose value is NULL;
- ``missingValues`` (field): rows whose value is NULL or one of ``arguments.missingValues``;
- ``invalidValues`` (field): non-NULL values outside ``arguments.validValues``, or not
  matching ``arguments.pattern``;
- ``duplicateValues`` (field, or table with ``arguments.properties``): non-NULL values (or
  rows, for several fields) repeating another one: count minus distinct count;
- ``sql``: a query returning one number, validated here with sqlglot as one read-only
  ``SELECT`` (``${object}``/``${table}`` stand for the table, ``${property}``/``${column}``
  for the field).

``unit: percent`` compares the count as a share of the table's rows (0-100); the default
``rows`` compares the count itself. Invalid rules are refused with the reason, by the
registry, the CLI and the data agent alike.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from datapact_common.regex_rules import check_regex

if TYPE_CHECKING:
    from sqlglot import exp

# sqlglot (about 25 MB resident) is imported by the first rule query parsed, not with this
# module, which every service imports through the contract schema.

MAX_QUERY_LENGTH = 5000
MAX_QUERY_NODES = 2000


class RuleType(StrEnum):
    LIBRARY = "library"
    SQL = "sql"


class LibraryMetric(StrEnum):
    ROW_COUNT = "rowCount"
    NULL_VALUES = "nullValues"
    MISSING_VALUES = "missingValues"
    INVALID_VALUES = "invalidValues"
    DUPLICATE_VALUES = "duplicateValues"


class RuleUnit(StrEnum):
    ROWS = "rows"
    PERCENT = "percent"


FIELD_METRICS = frozenset(
    {
        LibraryMetric.NULL_VALUES,
        LibraryMetric.MISSING_VALUES,
        LibraryMetric.INVALID_VALUES,
        LibraryMetric.DUPLICATE_VALUES,
    }
)
TABLE_METRICS = frozenset({LibraryMetric.ROW_COUNT, LibraryMetric.DUPLICATE_VALUES})
# The arguments each metric takes (anything else is refused: it would be silently ignored).
_ARGUMENTS: dict[LibraryMetric, frozenset[str]] = {
    LibraryMetric.ROW_COUNT: frozenset(),
    LibraryMetric.NULL_VALUES: frozenset(),
    LibraryMetric.MISSING_VALUES: frozenset({"missingValues"}),
    LibraryMetric.INVALID_VALUES: frozenset({"validValues", "pattern"}),
    LibraryMetric.DUPLICATE_VALUES: frozenset({"properties"}),
}
# Threshold keys in ODCS spelling -> attribute names.
OPERATORS: dict[str, str] = {
    "mustBe": "must_be",
    "mustNotBe": "must_not_be",
    "mustBeGreaterThan": "must_be_greater_than",
    "mustBeGreaterOrEqualTo": "must_be_greater_or_equal_to",
    "mustBeLessThan": "must_be_less_than",
    "mustBeLessOrEqualTo": "must_be_less_or_equal_to",
    "mustBeBetween": "must_be_between",
    "mustNotBeBetween": "must_not_be_between",
}
_RANGES = {"mustBeBetween", "mustNotBeBetween"}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Interval:
    """Values ``low``..``high`` (None: unbounded), each end closed or open."""

    low: float | None
    high: float | None
    low_closed: bool = True
    high_closed: bool = True

    def holds(self, value: float) -> bool:
        if self.low is not None and (
            value < self.low or (value == self.low and not self.low_closed)
        ):
            return False
        return not (
            self.high is not None
            and (value > self.high or (value == self.high and not self.high_closed))
        )

    def within(self, other: Interval) -> bool:
        """Every value of this interval is in ``other``."""
        if other.low is not None:
            if self.low is None or self.low < other.low:
                return False
            if self.low == other.low and self.low_closed and not other.low_closed:
                return False
        if other.high is not None:
            if self.high is None or self.high > other.high:
                return False
            if self.high == other.high and self.high_closed and not other.high_closed:
                return False
        return True


class QualityRule(BaseModel):
    """One ODCS quality rule (``type: library`` with a ``metric``, or ``type: sql``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    type: RuleType = RuleType.LIBRARY
    metric: LibraryMetric | None = None
    arguments: dict[str, Any] | None = None
    query: str | None = Field(default=None, max_length=MAX_QUERY_LENGTH)
    must_be: int | float | None = Field(default=None, alias="mustBe")
    must_not_be: int | float | None = Field(default=None, alias="mustNotBe")
    must_be_greater_than: int | float | None = Field(default=None, alias="mustBeGreaterThan")
    must_be_greater_or_equal_to: int | float | None = Field(
        default=None, alias="mustBeGreaterOrEqualTo"
    )
    must_be_less_than: int | float | None = Field(default=None, alias="mustBeLessThan")
    must_be_less_or_equal_to: int | float | None = Field(default=None, alias="mustBeLessOrEqualTo")
    must_be_between: list[int | float] | None = Field(default=None, alias="mustBeBetween")
    must_not_be_between: list[int | float] | None = Field(default=None, alias="mustNotBeBetween")
    unit: RuleUnit = RuleUnit.ROWS
    name: str | None = Field(default=None, max_length=255)
    description: str | None = Field(default=None, max_length=2000)

    @model_serializer(mode="wrap")
    def _without_nulls(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Only what the rule says: unset thresholds and texts are left out."""
        dumped: dict[str, Any] = handler(self)
        return {k: v for k, v in dumped.items() if v is not None}

    @model_validator(mode="before")
    @classmethod
    def _strict_numbers(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for key, attr in OPERATORS.items():
            for spelled in (key, attr):
                if spelled not in data or data[spelled] is None:
                    continue
                value = data[spelled]
                if key in _RANGES:
                    if not (
                        isinstance(value, list) and len(value) == 2 and all(map(_is_number, value))
                    ):
                        raise ValueError(f"{key} needs two numbers, smallest first: [low, high]")
                elif not _is_number(value):
                    raise ValueError(f"{key} needs a number, got {value!r:.60}")
        return data

    @model_validator(mode="after")
    def _consistent(self) -> QualityRule:
        given = [key for key, attr in OPERATORS.items() if getattr(self, attr) is not None]
        if not given:
            raise ValueError(
                "a quality rule needs one threshold: " + ", ".join(OPERATORS) + " (none given)"
            )
        if len(given) > 1:
            raise ValueError(f"a quality rule takes exactly one threshold, got {', '.join(given)}")
        key = given[0]
        if key in _RANGES:
            low, high = getattr(self, OPERATORS[key])
            if not low < high:
                raise ValueError(f"{key} needs two numbers, smallest first: got [{low}, {high}]")
        if self.unit is RuleUnit.PERCENT:
            values = self._threshold_values()
            if any(not 0 <= v <= 100 for v in values):
                raise ValueError(f"{key} with unit percent needs values from 0 to 100")
        if self.type is RuleType.SQL:
            if self.metric is not None or self.arguments is not None:
                raise ValueError("a sql rule takes a query, not a metric or arguments")
            if not self.query or not self.query.strip():
                raise ValueError("a sql rule needs a query returning one number")
            try:
                parse_rule_query(self.query)
            except ValueError as exc:
                raise ValueError(f"sql rule query: {exc}") from exc
            return self
        if self.query is not None:
            raise ValueError("a library rule takes a metric, not a query (use type: sql)")
        if self.metric is None:
            raise ValueError(
                "a library rule needs a metric: " + ", ".join(str(m) for m in LibraryMetric)
            )
        if self.metric is LibraryMetric.ROW_COUNT and self.unit is RuleUnit.PERCENT:
            raise ValueError("rowCount counts rows: it takes no unit percent")
        self._check_arguments(self.metric, self.arguments or {})
        return self

    def _threshold_values(self) -> list[float]:
        values: list[float] = []
        for attr in OPERATORS.values():
            value = getattr(self, attr)
            if isinstance(value, list):
                values += value
            elif value is not None:
                values.append(value)
        return values

    @staticmethod
    def _check_arguments(metric: LibraryMetric, arguments: dict[str, Any]) -> None:
        unknown = sorted(set(arguments) - _ARGUMENTS[metric])
        if unknown:
            allowed = ", ".join(sorted(_ARGUMENTS[metric])) or "none"
            raise ValueError(
                f"{metric} does not take argument(s) {', '.join(unknown)} (it takes: {allowed})"
            )
        if metric is LibraryMetric.MISSING_VALUES:
            values = arguments.get("missingValues")
            if not isinstance(values, list) or not values:
                raise ValueError("missingValues needs arguments.missingValues: [null, '', ...]")
            _scalars("missingValues", values)
        elif metric is LibraryMetric.INVALID_VALUES:
            valid, pattern = arguments.get("validValues"), arguments.get("pattern")
            if (valid is None) == (pattern is None):
                raise ValueError(
                    "invalidValues needs one of arguments.validValues (a list) or "
                    "arguments.pattern (a regex)"
                )
            if valid is not None:
                if not isinstance(valid, list) or not [v for v in valid if v is not None]:
                    raise ValueError("invalidValues needs a non-empty list of validValues")
                _scalars("validValues", valid)
            else:
                if not isinstance(pattern, str):
                    raise ValueError("invalidValues arguments.pattern needs a regex string")
                check_regex(pattern)
        elif metric is LibraryMetric.DUPLICATE_VALUES and "properties" in arguments:
            names = arguments["properties"]
            if (
                not isinstance(names, list)
                or not names
                or not all(isinstance(n, str) for n in names)
                or len(set(names)) != len(names)
            ):
                raise ValueError("duplicateValues arguments.properties needs distinct field names")

    # -- reading it ---------------------------------------------------------------------------
    @property
    def operator(self) -> str:
        return next(key for key, attr in OPERATORS.items() if getattr(self, attr) is not None)

    @property
    def threshold(self) -> Any:
        return getattr(self, OPERATORS[self.operator])

    @property
    def kind(self) -> str:
        """``sql`` or the library metric."""
        return "sql" if self.type is RuleType.SQL else str(self.metric)

    def accepted(self) -> list[Interval]:
        """The values that pass, as disjoint intervals."""
        value = self.threshold
        match self.operator:
            case "mustBe":
                return [Interval(value, value)]
            case "mustNotBe":
                return [Interval(None, value, high_closed=False), Interval(value, None, False)]
            case "mustBeGreaterThan":
                return [Interval(value, None, low_closed=False)]
            case "mustBeGreaterOrEqualTo":
                return [Interval(value, None)]
            case "mustBeLessThan":
                return [Interval(None, value, high_closed=False)]
            case "mustBeLessOrEqualTo":
                return [Interval(None, value)]
            case "mustBeBetween":
                return [Interval(value[0], value[1])]
        return [
            Interval(None, value[0], high_closed=False),
            Interval(value[1], None, low_closed=False),
        ]

    def passes(self, measured: float) -> bool:
        return any(interval.holds(measured) for interval in self.accepted())

    def expectation(self) -> str:
        """The threshold in words, e.g. ``<= 5 %``, ``between 10 and 20 rows``."""
        unit = " %" if self.unit is RuleUnit.PERCENT else ""
        value = self.threshold
        text = {
            "mustBe": "= {0}",
            "mustNotBe": "!= {0}",
            "mustBeGreaterThan": "> {0}",
            "mustBeGreaterOrEqualTo": ">= {0}",
            "mustBeLessThan": "< {0}",
            "mustBeLessOrEqualTo": "<= {0}",
        }.get(self.operator)
        if text is not None:
            return text.format(_number_text(value)) + unit
        low, high = (_number_text(v) for v in value)
        negation = "not " if self.operator == "mustNotBeBetween" else ""
        return f"{negation}between {low} and {high}{unit}"

    def to_odcs(self) -> dict[str, Any]:
        """The rule as ODCS writes it (``type`` first, thresholds in ODCS spelling)."""
        written: dict[str, Any] = {"type": str(self.type)}
        if self.metric is not None:
            written["metric"] = str(self.metric)
        if self.arguments is not None:
            written["arguments"] = self.arguments
        if self.query is not None:
            written["query"] = self.query
        written[self.operator] = _json_number(self.threshold)
        # `unit: rows` spelled out on an invalidValues rule that says `mustBe: 0` over valid
        # values, which would otherwise read as an enum constraint.
        enum_like = self.metric is LibraryMetric.INVALID_VALUES and self.must_be == 0
        if self.unit is not RuleUnit.ROWS or enum_like:
            written["unit"] = str(self.unit)
        if self.name is not None:
            written["name"] = self.name
        if self.description is not None:
            written["description"] = self.description
        return written


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _json_number(value: Any) -> Any:
    if isinstance(value, list):
        return [_json_number(v) for v in value]
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _scalars(name: str, values: list[Any]) -> None:
    if any(isinstance(v, dict | list) for v in values):
        raise ValueError(f"{name} lists values, not objects or lists")


# -- sql rules -------------------------------------------------------------------------------

OBJECT_PLACEHOLDER = "__datapact_object__"
PROPERTY_PLACEHOLDER = "__datapact_property__"
_PLACEHOLDER = re.compile(r"\$\{\s*([A-Za-z_]+)\s*\}")
_PLACEHOLDERS = {
    "object": OBJECT_PLACEHOLDER,
    "table": OBJECT_PLACEHOLDER,
    "model": OBJECT_PLACEHOLDER,
    "property": PROPERTY_PLACEHOLDER,
    "column": PROPERTY_PLACEHOLDER,
    "field": PROPERTY_PLACEHOLDER,
}
# Dialects a rule's query is read in, first that parses wins (the query is written for the
# server's dialect, which the contract does not name).
READ_DIALECTS = ("", "postgres", "duckdb", "mysql", "snowflake", "bigquery")


@lru_cache(maxsize=1)
def _writes() -> tuple[type[exp.Expr], ...]:
    from sqlglot import exp

    return (
        exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Alter,
        exp.Command, exp.Into, exp.Lock, exp.Transaction, exp.Commit, exp.Rollback, exp.Set,
        exp.Use, exp.Copy, exp.LoadData, exp.Pragma, exp.TruncateTable,
    )  # fmt: skip


# Functions with side effects or that reach outside the query (sleeping, sequences, files,
# other sessions, settings, other databases).
_FORBIDDEN_FUNCTION = re.compile(
    r"^(pg_(sleep|read|write|ls|stat_file|terminate|cancel|reload|rotate|advisory|notify|"
    r"switch|create|drop|promote|logical|replication|file|import|export|start|stop|backup)"
    r"|lo_|dblink|set_config|nextval|setval|sleep|benchmark|load_file|get_lock|release_lock|"
    r"query_to_xml|xpath|read_csv|read_parquet|read_json|read_text|read_blob|glob|"
    r"system|http_|copy|dbms_|utl_|sys_exec|sys_eval|txid_|sp_|xp_)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedQuery:
    """A validated rule query: its tree (placeholders as marker names) and read dialect."""

    tree: exp.Query
    dialect: str


def _with_markers(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        if name not in _PLACEHOLDERS:
            raise ValueError(
                f"unknown placeholder ${{{match.group(1)}}} (use ${{object}} or ${{property}})"
            )
        return _PLACEHOLDERS[name]

    return _PLACEHOLDER.sub(replace, text)


@lru_cache(maxsize=1024)
def parse_rule_query(text: str) -> ParsedQuery:
    """Parse and validate a rule's query; ``ValueError`` says what is refused.

    Cached and shared: ``tree.copy()`` before changing the tree."""
    if len(text) > MAX_QUERY_LENGTH:
        raise ValueError(f"longer than {MAX_QUERY_LENGTH} characters")
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    import sqlglot
    from sqlglot.errors import ParseError, TokenError

    marked = _with_markers(text)
    problem = "does not parse"
    for dialect in READ_DIALECTS:
        try:
            statements = sqlglot.parse(marked, read=dialect or None)
        except (ParseError, TokenError) as exc:
            problem = f"does not parse: {_first_line(exc)}"
            continue
        parsed = [s for s in statements if s is not None]
        if len(parsed) != 1:
            raise ValueError("must be one SELECT statement (no ';' between statements)")
        return ParsedQuery(_read_only_select(parsed[0]), dialect)
    raise ValueError(problem)


def _read_only_select(tree: exp.Expr) -> exp.Query:
    from sqlglot import exp

    writes = _writes()
    if not isinstance(tree, exp.Select | exp.SetOperation):
        raise ValueError(f"must be a SELECT, not {tree.key.upper()}")
    for count, node in enumerate(tree.walk(), start=1):
        if count > MAX_QUERY_NODES:
            raise ValueError(f"has more than {MAX_QUERY_NODES} parts")
        if isinstance(node, writes):
            raise ValueError(f"must only read: {node.key.upper()} is not allowed")
        if isinstance(node, exp.Func):
            name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
            if _FORBIDDEN_FUNCTION.match(name or ""):
                raise ValueError(f"function {name}() is not allowed (it has effects)")
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Func):
            raise ValueError("must read tables, not table functions")
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    outputs = select.expressions if select is not None else []
    star = bool(outputs) and (
        isinstance(outputs[0], exp.Star)
        or (isinstance(outputs[0], exp.Column) and isinstance(outputs[0].this, exp.Star))
    )
    if len(outputs) != 1 or star:
        raise ValueError("must return exactly one column (one number)")
    return tree


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
