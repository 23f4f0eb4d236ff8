"""Measure one table: its one aggregate scan, then samples and foreign keys when needed.

Runs synchronously in a worker thread of the agent's bounded pool, on one connection.
A failed statement never fails the table silently: a timeout marks every rule of the scan
``timed out``; any other error of the scan (an expression the engine cannot evaluate on
these columns, say) re-runs the plain measures and each rule alone, so the one rule at
fault carries the engine's message and the others still count.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from datapact_agent.checks import sql
from datapact_agent.checks.plan import TablePlan
from datapact_agent.checks.rules import Rule, RuleKind
from datapact_common.engines.base import Engine, EngineError, Rows, Session
from datapact_common.quality_rules import LibraryMetric, RuleUnit
from datapact_common.thresholds import parse_duration, parse_percentage, parse_row_range

logger = logging.getLogger(__name__)
# A rule's threshold, parsed once rather than at every table of every sweep (the parsed
# values are frozen; a bad text still raises each time).
_percentage = functools.lru_cache(maxsize=4096)(parse_percentage)
_row_range = functools.lru_cache(maxsize=4096)(parse_row_range)
_duration = functools.lru_cache(maxsize=4096)(parse_duration)
_STREAM_BATCH = 500
# A member read from its enum class costs ~0.2 µs on Python 3.11 (a module global: 0.02),
# and every measured rule of every table of every sweep reads a few.
_NOT_NULL, _UNIQUE, _FOREIGN_KEY = RuleKind.NOT_NULL, RuleKind.UNIQUE, RuleKind.FOREIGN_KEY
_COMPLETENESS, _FRESHNESS = RuleKind.COMPLETENESS, RuleKind.FRESHNESS
_ROW_COUNT, _QUALITY = RuleKind.ROW_COUNT, RuleKind.QUALITY


@dataclass(slots=True)
class Outcome:
    violations: int | None = None
    samples: list[dict[str, Any]] | None = None
    error: str | None = None
    # judged checks (catalogue, SLAs, quality rules): the verdict and what was measured
    passed: bool | None = None
    measured: float | None = None
    found: str | None = None


@dataclass
class TableResult:
    row_count: int | None = None
    non_null: dict[str, int] = field(default_factory=dict)
    distinct: dict[str, int] = field(default_factory=dict)
    composite_distinct: dict[tuple[str, ...], int] = field(default_factory=dict)
    latest: dict[str, datetime | None] = field(default_factory=dict)
    database_now: datetime | None = None
    error: str | None = None  # the scan failed: every measure of the table is unknown
    slot_counts: dict[int, int] = field(default_factory=dict)
    slot_errors: dict[int, str] = field(default_factory=dict)
    outcomes: dict[int, Outcome] = field(default_factory=dict)  # id(rule) -> outcome
    queries: int = 0
    seconds: float = 0.0
    # The plan's rules were judged (``TableMeasurer._derive``): a rule judged when planned
    # (``planned``) has that outcome; before (no scan), every rule has the table's error.
    derived: bool = False

    def outcome(self, rule: Rule) -> Outcome:
        found = self.outcomes.get(id(rule))
        if found is not None:
            return found
        if self.derived:
            known = planned(rule)
            if known is not None:
                return known
        return Outcome(error=self.error or "not measured")


def planned(rule: Rule) -> Outcome | None:
    """The outcome of a rule judged when planned, whatever the table holds: it cannot be
    checked (``error``), is not checked here (``skipped``), or was judged from the
    catalogue (``verdict``). None for a rule the measurements judge."""
    if rule.error or rule.skipped:
        return Outcome(error=rule.error)
    if rule.verdict is not None:
        passed, found = rule.verdict
        return Outcome(passed=passed, found=found)
    return None


@dataclass(frozen=True)
class Measuring:
    """A plan's rules as measuring reads them on every sweep, sorted once per plan (each
    list in the plan's order)."""

    measured: list[Rule]  # judged by the measurements (``planned`` is None)
    not_null: list[Rule]
    unique: list[Rule]
    foreign_keys: list[Rule]
    sql_rules: list[Rule]
    sampled_slots: frozenset[int]  # the condition slots of value rules (samples shown)

    @classmethod
    def of(cls, plan: TablePlan) -> Measuring:
        made = plan.measuring
        if made is None:
            rules = plan.rules
            measured = [rule for rule in rules if planned(rule) is None]
            made = cls(
                measured=measured,
                not_null=[r for r in measured if r.kind is RuleKind.NOT_NULL],
                unique=[r for r in measured if r.kind is RuleKind.UNIQUE],
                foreign_keys=[
                    r for r in rules if r.kind is RuleKind.FOREIGN_KEY and r.target and not r.error
                ],
                sql_rules=[
                    r
                    for r in rules
                    if r.query is not None and r.quality is not None and not r.error
                ],
                sampled_slots=frozenset(
                    plan.rule_slot[id(rule)]
                    for rule in rules
                    if id(rule) in plan.rule_slot and rule.kind is not RuleKind.QUALITY
                ),
            )
            plan.measuring = made  # two threads sorting one plan sort it the same
        return made  # type: ignore[no-any-return]


def as_utc(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


def _json_value(value: Any) -> Any:
    """A key value as JSON carries it without loss."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _judged(passes: Any, unit: RuleUnit, count: int, rows: int) -> Outcome:
    if unit is RuleUnit.PERCENT:
        measured = round(count * 100 / rows, 6) if rows else 0.0
        found = f"{_number(measured)}% ({count} of {rows} rows)"
    else:
        measured, found = count, f"{count} rows"
    return Outcome(passed=bool(passes(measured)), measured=measured, found=found)


class TableMeasurer:
    def __init__(self, engine: Engine, sample_size: int) -> None:
        self.engine = engine
        self.sample_size = sample_size

    def measure_many(self, plans: Sequence[TablePlan]) -> list[TableResult | Exception]:
        """Several tables on one connection, their scans sent together (``_scan_many``),
        then each table's other statements (samples, foreign keys, sql rules) one by one:
        a session costs a pool checkout with its pre-ping and a rollback (3.6 ms a table
        at load 8). A table that fails is its exception, in its place; the others are
        still measured."""
        outcomes: list[TableResult | Exception] = []
        if all(plan.info is None for plan in plans):
            return [TableResult() for _ in plans]
        try:
            with self.engine.session() as session:
                scans = self._scan_many(session, plans)
                for index, plan in enumerate(plans):
                    try:
                        outcomes.append(
                            TableResult()
                            if plan.info is None
                            else self._measure(session, plan, scans.get(index))
                        )
                    except Exception as exc:
                        outcomes.append(exc)
        except Exception as exc:
            outcomes += [exc] * (len(plans) - len(outcomes))
        return outcomes

    def _scan_many(
        self, session: Session, plans: Sequence[TablePlan]
    ) -> dict[int, tuple[float, Rows | EngineError]]:
        """The scans of several tables sent together (one round trip on PostgreSQL: the
        round trips, not the server, were most of a 20-column table's 5.5 ms at load 8):
        table index -> (seconds, its rows or its error). A table missing from the answer
        (after a failed scan the server runs nothing more) is scanned on its own, later."""
        indexes = [index for index, plan in enumerate(plans) if plan.info is not None]
        if len(indexes) < 2:
            return {}
        statements = [self.rendered_scan(plans[index])[1:] for index in indexes]
        started = time.perf_counter()
        try:
            answers = session.fetch_many(statements)
        except EngineError:
            return {}  # each table on its own, as before: its own error, if it still fails
        share = (time.perf_counter() - started) / len(statements)
        return {index: (share, answer) for index, answer in zip(indexes, answers, strict=False)}

    def _measure(
        self,
        session: Session,
        plan: TablePlan,
        scanned: tuple[float, Rows | EngineError] | None = None,
    ) -> TableResult:
        result = TableResult()
        started = time.perf_counter()
        if scanned is None:
            self._scan(session, plan, result)
        else:
            started -= scanned[0]
            self._scanned(session, plan, result, scanned[1])
        self._derive(plan, result)
        if result.error is None:
            key = plan.sample_key
            if key and self.sample_size:
                self._samples(session, plan, key, result)
            self._duplicates(session, plan, key, result)
            self._foreign_keys(session, plan, key, result)
            self._sql_rules(session, plan, result)
        result.seconds = time.perf_counter() - started
        return result

    # -- the scan ---------------------------------------------------------------------
    def _fetch(  # type: ignore[no-untyped-def]
        self,
        session: Session,
        statement: Any,
        params: dict[str, Any],
        result: TableResult,
        *,
        owned: bool = False,  # built for this one statement: rendered without a copy
    ):
        result.queries += 1
        return session.fetch(sql.render(statement, self.engine.dialect, owned=owned), params)

    def rendered_scan(self, plan: TablePlan) -> tuple[str, str, dict[str, Any]]:
        """The plan's scan (dialect, SQL, parameters), rendered once and kept with it."""
        dialect = self.engine.dialect
        rendered = plan.rendered_scan
        if rendered is None or rendered[0] != dialect:
            statement, params = sql.aggregate(plan, keyed=dialect == "postgres")
            rendered = (dialect, sql.render(statement, dialect, owned=True), params)
            plan.rendered_scan = rendered  # two threads rendering one plan render the same
        return rendered

    def render_scans(self, plans: Sequence[TablePlan]) -> None:
        for plan in plans:
            if plan.info is not None:
                self.rendered_scan(plan)

    def _scan(self, session: Session, plan: TablePlan, result: TableResult) -> None:
        rendered = self.rendered_scan(plan)
        try:
            answer: Rows | EngineError = session.fetch(rendered[1], rendered[2])
        except EngineError as exc:
            answer = exc
        self._scanned(session, plan, result, answer)

    def _scanned(
        self, session: Session, plan: TablePlan, result: TableResult, answer: Rows | EngineError
    ) -> None:
        """The table's scan answered (its one row) or failed (its error)."""
        result.queries += 1
        if isinstance(answer, EngineError):
            if answer.unavailable:
                raise answer
            if answer.timed_out:
                result.error = "timed out"
                return
            logger.warning(
                "scan of %s failed (%s); measuring its rules one by one", plan.table, answer
            )
            self._isolate(session, plan, result)
            return
        [row] = answer
        self._read_row(plan, row, result, with_conditions=True)

    def _read_row(
        self, plan: TablePlan, row: Sequence[Any], result: TableResult, *, with_conditions: bool
    ) -> None:
        values = iter(row)
        result.row_count = int(next(values))
        result.database_now = as_utc(next(values))
        result.non_null = {c: int(next(values)) for c in plan.counts}
        result.distinct = {c: int(next(values)) for c in plan.distincts}
        result.composite_distinct = {k: int(next(values)) for k in plan.composites}
        result.latest = {c: as_utc(next(values)) for c in plan.maxima}
        if with_conditions:
            result.slot_counts = {i: int(next(values)) for i in range(len(plan.conditions))}

    def _isolate(self, session: Session, plan: TablePlan, result: TableResult) -> None:
        base = TablePlan(
            table=plan.table,
            info=plan.info,
            counts=plan.counts,
            distincts=plan.distincts,
            composites=plan.composites,
            maxima=plan.maxima,
        )
        statement, params = sql.aggregate(base, keyed=self.engine.dialect == "postgres")
        try:
            [row] = self._fetch(session, statement, params, result, owned=True)
        except EngineError as exc:
            if exc.unavailable:
                raise
            result.error = "timed out" if exc.timed_out else f"scan failed: {exc}"
            return
        self._read_row(plan, row, result, with_conditions=False)
        for slot, (condition, values) in enumerate(
            zip(plan.conditions, plan.condition_params, strict=True)
        ):
            statement, params = sql.single_count(plan.table, condition, values)
            try:
                [(count,)] = self._fetch(session, statement, params, result, owned=True)
                result.slot_counts[slot] = int(count)
            except EngineError as exc:
                if exc.unavailable:
                    raise
                result.slot_errors[slot] = "timed out" if exc.timed_out else str(exc)

    # -- per rule ---------------------------------------------------------------------
    def _derive(self, plan: TablePlan, result: TableResult) -> None:
        """Each rule's outcome from the scan. A rule judged when planned keeps that outcome
        (``planned``: not stored per table, the report has it made); the others have the
        scan's error, or their count."""
        outcomes = result.outcomes
        error = result.error
        for rule in Measuring.of(plan).measured:
            outcomes[id(rule)] = (
                Outcome(error=error) if error else self._count_of(plan, rule, result)
            )
        result.derived = True

    def _count_of(self, plan: TablePlan, rule: Rule, result: TableResult) -> Outcome:
        rows = result.row_count or 0
        kind = rule.kind
        if kind is _NOT_NULL:
            return Outcome(violations=rows - result.non_null[rule.fields[0]])
        if kind is _UNIQUE:
            if len(rule.fields) > 1:
                return Outcome(violations=rows - result.composite_distinct[rule.fields])
            name = rule.fields[0]
            return Outcome(violations=result.non_null[name] - result.distinct[name])
        if kind is _FOREIGN_KEY:
            return Outcome()  # its own query, below
        if kind is _COMPLETENESS:
            share = _percentage(str(rule.value))
            non_null = result.non_null[rule.fields[0]]
            ratio = non_null / rows if rows else 1.0
            measured = round(ratio * 100, 6)
            return Outcome(
                passed=ratio + 1e-12 >= share.fraction,
                measured=measured,
                found=f"{measured}% non-null ({rows - non_null} of {rows} rows null)",
            )
        if kind is _FRESHNESS:
            return self._freshness(rule, result)
        if kind is _ROW_COUNT:
            expected = _row_range(str(rule.value))
            return Outcome(passed=expected.holds(rows), measured=rows, found=f"{rows} rows")
        if kind is _QUALITY:
            return self._quality(plan, rule, result)
        slot = plan.rule_slot[id(rule)]
        if slot in result.slot_errors:
            return Outcome(error=result.slot_errors[slot])
        return Outcome(violations=result.slot_counts[slot])

    @staticmethod
    def _freshness(rule: Rule, result: TableResult) -> Outcome:
        assert rule.target is not None
        latest = result.latest.get(rule.target[1])
        limit = _duration(str(rule.value)).seconds
        if latest is None or result.database_now is None:
            return Outcome(passed=False, found=f"no row has a '{rule.target[1]}' value")
        seconds = round((result.database_now - latest).total_seconds(), 3)
        return Outcome(
            passed=seconds <= limit, measured=seconds, found=f"newest row {seconds} s old"
        )

    def _quality(self, plan: TablePlan, rule: Rule, result: TableResult) -> Outcome:
        """A library rule's count from the scan, as rows or as a share of the rows."""
        quality = rule.quality
        assert quality is not None
        if rule.query is not None:
            return Outcome()  # a sql rule: its own statement, below
        rows = result.row_count or 0
        metric = quality.metric
        if metric is LibraryMetric.ROW_COUNT:
            count = rows
        elif metric is LibraryMetric.NULL_VALUES:
            count = rows - result.non_null[rule.fields[0]]
        elif metric is LibraryMetric.DUPLICATE_VALUES:
            key = rule.distinct or ()
            if len(key) == 1:
                count = result.non_null[key[0]] - result.distinct[key[0]]
            else:
                count = rows - result.composite_distinct[key]
        else:
            slot = plan.rule_slot[id(rule)]
            if slot in result.slot_errors:
                return Outcome(error=result.slot_errors[slot])
            count = result.slot_counts[slot]
        return _judged(quality.passes, quality.unit, count, rows)

    def _sql_rules(self, session: Session, plan: TablePlan, result: TableResult) -> None:
        """Each sql rule's query, alone, under the statement timeout: one number."""
        for rule in Measuring.of(plan).sql_rules:
            assert rule.query is not None and rule.quality is not None
            try:
                rows = self._fetch(session, rule.query, {}, result)
                value = rows[0][0] if rows and rows[0] else None
                measured = float(value) if value is not None else None
            except EngineError as exc:
                if exc.unavailable:
                    raise
                result.outcomes[id(rule)] = Outcome(
                    error="timed out" if exc.timed_out else str(exc)
                )
                continue
            except (TypeError, ValueError):
                measured = None
            if measured is None:
                result.outcomes[id(rule)] = Outcome(error="the query returned no number")
                continue
            result.outcomes[id(rule)] = Outcome(
                passed=rule.quality.passes(measured),
                measured=measured,
                found=f"the query returned {_number(measured)}",
            )

    def _samples(
        self, session: Session, plan: TablePlan, key: list[str], result: TableResult
    ) -> None:
        # Samples show rows breaking a value rule; a quality rule judges a count.
        measuring = Measuring.of(plan)
        sampled = measuring.sampled_slots
        wanted = {
            slot: min(self.sample_size, count)
            for slot, count in result.slot_counts.items()
            if count > 0 and slot in sampled
        }
        nulls = [rule for rule in measuring.not_null if (result.outcome(rule).violations or 0) > 0]
        if not wanted and not nulls:
            return
        slots = sorted(wanted)
        found: dict[int, list[dict[str, Any]]] = {slot: [] for slot in slots}
        null_found: dict[int, list[dict[str, Any]]] = {id(rule): [] for rule in nulls}
        statement, params = sql.samples(plan, key, slots, [r.fields[0] for r in nulls])
        result.queries += 1
        try:
            rendered = sql.render(statement, self.engine.dialect, owned=True)
            for batch in session.stream(rendered, params, _STREAM_BATCH):
                for row in batch:
                    sample = {k: _json_value(v) for k, v in zip(key, row, strict=False)}
                    flags = row[len(key) :]
                    for position, slot in enumerate(slots):
                        if flags[position] and len(found[slot]) < wanted[slot]:
                            found[slot].append(sample)
                    for position, rule in enumerate(nulls, start=len(slots)):
                        limit = min(self.sample_size, result.outcome(rule).violations or 0)
                        if flags[position] and len(null_found[id(rule)]) < limit:
                            null_found[id(rule)].append(sample)
                if all(len(found[s]) >= wanted[s] for s in slots) and all(
                    len(null_found[id(r)])
                    >= min(self.sample_size, result.outcome(r).violations or 0)
                    for r in nulls
                ):
                    break
        except EngineError as exc:
            if exc.unavailable:
                raise
            logger.warning("samples of %s not read: %s", plan.table, exc)
            return
        for rule in measuring.measured:
            outcome = result.outcomes.get(id(rule))
            if outcome is None or not outcome.violations:
                continue
            if rule.kind is RuleKind.NOT_NULL:
                outcome.samples = null_found.get(id(rule))
            elif id(rule) in plan.rule_slot and plan.rule_slot[id(rule)] in found:
                outcome.samples = found[plan.rule_slot[id(rule)]]

    def _duplicates(
        self, session: Session, plan: TablePlan, key: list[str] | None, result: TableResult
    ) -> None:
        assert plan.info is not None
        for rule in Measuring.of(plan).unique:
            outcome = result.outcomes[id(rule)]
            if not outcome.violations:
                continue
            if not key or not self.sample_size:
                continue
            columns = [plan.info.columns[name] for name in rule.fields]
            statement = sql.duplicate_samples(plan.table, key, columns, self.sample_size)
            try:
                rows = self._fetch(session, statement, {}, result)
            except EngineError as exc:
                if exc.unavailable:
                    raise
                logger.warning("duplicate samples of %s not read: %s", plan.table, exc)
                continue
            outcome.samples = [
                {k: _json_value(v) for k, v in zip(key, row, strict=False)} for row in rows
            ]

    def _foreign_keys(
        self, session: Session, plan: TablePlan, key: list[str] | None, result: TableResult
    ) -> None:
        for rule in Measuring.of(plan).foreign_keys:
            assert rule.target is not None
            parent, parent_column = rule.target
            column = rule.fields[0]
            try:
                [(count,)] = self._fetch(
                    session, sql.orphans(plan.table, column, parent, parent_column), {}, result
                )
                outcome = Outcome(violations=int(count))
                if count and key and self.sample_size:
                    statement = sql.orphan_samples(
                        plan.table, column, parent, parent_column, key, self.sample_size
                    )
                    rows = self._fetch(session, statement, {}, result)
                    outcome.samples = [
                        {k: _json_value(v) for k, v in zip(key, row, strict=False)} for row in rows
                    ]
            except EngineError as exc:
                if exc.unavailable:
                    raise
                outcome = Outcome(error="timed out" if exc.timed_out else str(exc))
            result.outcomes[id(rule)] = outcome
