"""The check's verdict: schema changes against contracts, contract changes against the schema,
and the version policy, each finding located on a line of the pull request's head.

(a) a schema change a contract does not reflect (a dropped/renamed column still listed, an
added NOT NULL column missing, a type or nullability the contract contradicts) fails;
(b) a contract change no schema change in the PR explains is a warning, unless the schema
change says the opposite (then (a) fails it);
(c) a contract change whose version bump is too small fails, naming the subscriber teams
whose ``fields_used`` each breaking change touches (subscribers of the contract at base and
of the registered contract).

Fail closed: a change that could not be read (a statement, a column definition, a file) on a
table a contract may describe makes the verdict ``neutral`` — or ``failure`` when asked —
never ``success``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from datapact_common.analysis.changes import (
    CONSTRAINT_KINDS,
    ColumnSpec,
    FileProblem,
    Location,
    SchemaChange,
    SchemaChangeKind,
    SchemaDelta,
    same_table,
    table_key,
    types_compatible,
)
from datapact_common.analysis.contract_files import (
    ContractChange,
    ContractChangeStatus,
    ContractDelta,
)
from datapact_common.analysis.sql_constraints import unique_name_columns
from datapact_common.analysis.type_map import physical_type_text
from datapact_common.contract_schema import (
    ConstraintType,
    ContractDefinition,
    ContractField,
    ContractStatus,
    Subscriber,
)
from datapact_common.diff import Change, ChangeKind, ChangeReport, diff_contracts
from datapact_common.physical_types import TypeChange, compare_physical_types


class Level(StrEnum):
    FAILURE = "failure"
    WARNING = "warning"
    NOTICE = "notice"


class Category(StrEnum):
    SCHEMA_NOT_IN_CONTRACT = "schema_not_in_contract"
    CONTRACT_WITHOUT_SCHEMA = "contract_without_schema"
    VERSION_BUMP = "version_bump"
    BREAKING_CHANGE = "breaking_change"
    INVALID_CONTRACT = "invalid_contract"
    UNCOVERED_TABLE = "uncovered_table"
    NOT_UNDERSTOOD = "not_understood"
    INFO = "info"


@dataclass
class Finding:
    level: Level
    category: Category
    title: str
    message: str
    location: Location
    contract: str | None = None
    fields: list[str] = field(default_factory=list)
    subscribers: list[str] = field(default_factory=list)
    breaking: bool = False
    # A change that could not be read: the verdict cannot be success.
    unchecked: bool = False


class Unchecked(StrEnum):
    """What a change that could not be read makes of the verdict."""

    NEUTRAL = "neutral"
    FAILURE = "failure"


@dataclass
class ContractSummary:
    name: str
    path: str | None
    status: str
    old_version: str | None
    new_version: str | None
    required_bump: str | None
    actual_bump: str | None
    bump_ok: bool
    breaking: list[Change] = field(default_factory=list)


@dataclass
class Verdict:
    findings: list[Finding] = field(default_factory=list)
    contracts: list[ContractSummary] = field(default_factory=list)
    schema_changes: list[SchemaChange] = field(default_factory=list)

    @property
    def conclusion(self) -> str:
        """``failure``, ``neutral`` (something changed that could not be read) or ``success``."""
        if self.failures:
            return "failure"
        return "neutral" if self.unchecked else "success"

    @property
    def unchecked(self) -> list[Finding]:
        return [f for f in self.findings if f.unchecked]

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.FAILURE]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.WARNING]

    def breaking_by_contract(self) -> dict[str, list[Finding]]:
        result: dict[str, list[Finding]] = {}
        for finding in self.findings:
            if finding.breaking and finding.contract:
                result.setdefault(finding.contract, []).append(finding)
        return result

    def failures_by_contract(self) -> dict[str | None, list[Finding]]:
        result: dict[str | None, list[Finding]] = {}
        for finding in self.failures:
            result.setdefault(finding.contract, []).append(finding)
        return result


@dataclass
class Registry:
    """The registered contracts this pull request concerns (read before judging)."""

    contracts: dict[str, ContractDefinition] = field(default_factory=dict)
    # Subscribers as registered (through the API too), by contract name.
    subscribers: dict[str, list[Subscriber]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> ContractDefinition | None:
        return self.contracts.get(name)

    def subscribers_of(self, name: str) -> list[Subscriber]:
        registered = self.subscribers.get(name)
        if registered is not None:
            return registered
        contract = self.contracts.get(name)
        return list(contract.subscribers) if contract else []

    def for_table(self, table: str) -> list[ContractDefinition]:
        return [c for c in self.contracts.values() if same_table(c.effective_table, table)]


def _field(contract: ContractDefinition, name: str | None) -> ContractField | None:
    if name is None:
        return None
    wanted = name.lower()
    return next((f for f in contract.schema_fields if f.name.lower() == wanted), None)


def _enum_values(f: ContractField) -> list[str] | None:
    for constraint in f.constraints:
        if constraint.type is ConstraintType.ENUM and isinstance(constraint.value, list):
            return [str(v) for v in constraint.value]
    return None


def _physical_relation(f: ContractField, raw_type: str | None) -> TypeChange | None:
    """How a schema source's type relates to the field's ``physical_type`` (None: nothing to
    compare, or a type this check cannot spell as SQL)."""
    if f.physical_type is None:
        return None
    new = physical_type_text(raw_type)
    return None if new is None else compare_physical_types(f.physical_type, new)


def _teams(subscribers: Iterable[Subscriber], fields: list[str] | None) -> list[str]:
    """Teams whose ``fields_used`` touch ``fields`` (``None``: the contract as a whole)."""
    return sorted({s.team for s in subscribers if fields is None or s.uses_any(fields)})


def _teams_text(teams: list[str]) -> str:
    return f" — affects {', '.join(teams)}" if teams else ""


@dataclass
class _Target:
    """A contract a schema change is judged against, and where its text lives."""

    contract: ContractDefinition
    change: ContractChange | None
    registered: ContractDefinition | None
    base: ContractDefinition | None


class _Judge:
    def __init__(
        self,
        schema: SchemaDelta,
        contracts: ContractDelta,
        registry: Registry,
        unchecked: Unchecked,
    ) -> None:
        self.schema = schema
        self.contracts = contracts
        self.registry = registry
        self.unchecked = unchecked
        self.verdict = Verdict(schema_changes=list(schema.changes))
        self.in_pr = contracts.by_name()

    def run(self) -> Verdict:
        self._schema_changes()
        self._contract_changes()
        self._invalid_and_problems()
        order = {Level.FAILURE: 0, Level.WARNING: 1, Level.NOTICE: 2}
        self.verdict.findings.sort(
            key=lambda f: (order[f.level], f.location.path, f.location.start_line)
        )
        return self.verdict

    def _add(self, finding: Finding) -> None:
        self.verdict.findings.append(finding)

    def _subscribers(self, name: str, base: ContractDefinition | None) -> list[Subscriber]:
        """Subscribers of the contract at base and as registered."""
        return [*(base.subscribers if base else []), *self.registry.subscribers_of(name)]

    # -- (a) schema changes against contracts --------------------------------------------
    def _targets(self, change: SchemaChange) -> list[_Target]:
        tables = [change.table]
        targets: list[_Target] = []
        for entry in self.in_pr.values():
            head = entry.head
            if head is None or entry.status is ContractChangeStatus.REMOVED:
                continue
            base_table = entry.base.effective_table if entry.base else None
            if any(same_table(head.effective_table, t) for t in tables) or (
                change.kind is SchemaChangeKind.TABLE_RENAMED
                and base_table is not None
                and same_table(base_table, change.table)
            ):
                targets.append(_Target(head, entry, self.registry.get(entry.name), entry.base))
        for registered in self.registry.for_table(change.table):
            if registered.name in self.in_pr:
                continue
            targets.append(_Target(registered, None, registered, registered))
        return targets

    def _schema_changes(self) -> None:
        uncovered: dict[str, SchemaChange] = {}
        for change in self.schema.changes:
            if change.kind is SchemaChangeKind.ENUM_VALUE_ADDED:
                self._judge_enum_value(change)
                continue
            targets = self._targets(change) if change.table else []
            if not targets:
                if change.table:
                    uncovered.setdefault(table_key(change.table), change)
                elif change.kind in CONSTRAINT_KINDS:
                    self._judge_unknown_table_key(change)
                continue
            for target in targets:
                if change.kind in CONSTRAINT_KINDS:
                    self._judge_key(change, target)
                else:
                    self._judge_schema_change(change, target)
        for change in uncovered.values():
            if change.kind is SchemaChangeKind.TABLE_DROPPED:
                continue
            self._add(
                Finding(
                    Level.NOTICE,
                    Category.UNCOVERED_TABLE,
                    f"No contract for table {change.table}",
                    f"Table `{change.table}` changes here but no data contract (in this pull "
                    "request or in the registry) describes it, so nothing is enforced.",
                    change.location,
                )
            )

    def _fail(
        self,
        change: SchemaChange,
        target: _Target,
        title: str,
        message: str,
        fields: list[str] | None,
        *,
        breaking: bool = True,
        level: Level = Level.FAILURE,
    ) -> None:
        teams = _teams(self._subscribers(target.contract.name, target.base), fields)
        self._add(
            Finding(
                level,
                Category.SCHEMA_NOT_IN_CONTRACT,
                title,
                message + _teams_text(teams),
                change.location,
                contract=target.contract.name,
                fields=fields or [],
                subscribers=teams,
                breaking=breaking,
            )
        )

    def _judge_schema_change(self, change: SchemaChange, target: _Target) -> None:
        contract = target.contract
        name = contract.name
        kind = change.kind
        f = _field(contract, change.column)
        where = f"contract `{name}` (table `{contract.effective_table}`)"
        if kind is SchemaChangeKind.COLUMN_DROPPED:
            if f is not None:
                self._fail(
                    change,
                    target,
                    f"Dropped column {change.subject} is still in the contract",
                    f"{change.describe()}, but {where} still lists field `{f.name}`. Remove the "
                    "field from the contract (a breaking change: major version bump).",
                    [f.name],
                )
        elif kind is SchemaChangeKind.COLUMN_RENAMED:
            new_field = _field(contract, change.new_name)
            if f is not None:
                self._fail(
                    change,
                    target,
                    f"Renamed column {change.subject} is still in the contract",
                    f"{change.describe()}, but {where} still lists field `{f.name}`"
                    + ("" if new_field else f" and has no field `{change.new_name}`")
                    + ". Rename the field in the contract (a breaking change: major bump).",
                    [f.name],
                )
        elif kind is SchemaChangeKind.COLUMN_ADDED and change.column_spec is not None:
            self._judge_column(change, target, change.column_spec.name, change.column_spec)
        elif kind is SchemaChangeKind.COLUMN_TYPE_CHANGED and f is not None:
            self._judge_type(change, target, f)
        elif kind is SchemaChangeKind.COLUMN_NULLABLE_CHANGED and f is not None:
            if change.nullable and not f.nullable:
                self._fail(
                    change,
                    target,
                    f"Column {change.subject} may now be NULL",
                    f"{change.describe()}, but {where} promises `{f.name}` is never null "
                    "(`nullable: false`). Set `nullable: true` (breaking: major bump) or keep "
                    "the column NOT NULL.",
                    [f.name],
                )
            elif change.nullable is False and f.nullable:
                self._add(
                    Finding(
                        Level.NOTICE,
                        Category.INFO,
                        f"Column {change.subject} is now NOT NULL",
                        f"{change.describe()}; {where} could promise it with `nullable: false`.",
                        change.location,
                        contract=name,
                        fields=[f.name],
                    )
                )
        elif kind is SchemaChangeKind.TABLE_DROPPED:
            if contract.status is not ContractStatus.DEPRECATED:
                self._fail(
                    change,
                    target,
                    f"Dropped table {change.table} still has a contract",
                    f"{change.describe()}, but {where} is still `{contract.status}`. Deprecate "
                    "the contract first so its subscribers are warned.",
                    None,
                )
        elif kind is SchemaChangeKind.TABLE_RENAMED:
            if same_table(contract.effective_table, change.table):
                self._fail(
                    change,
                    target,
                    f"Renamed table {change.table} is still in the contract",
                    f"{change.describe()}, but {where} still points at `{change.table}`. Set "
                    f"`table: {change.new_name}` in the contract (breaking: major bump).",
                    None,
                )
        elif kind is SchemaChangeKind.TABLE_CREATED:
            self._judge_created_table(change, target)

    def _judge_column(
        self, change: SchemaChange, target: _Target, column: str, spec: ColumnSpec
    ) -> None:
        contract = target.contract
        f = _field(contract, column)
        subject = f"{change.table}.{column}"
        where = f"contract `{contract.name}`"
        if f is None:
            if not spec.nullable and not spec.primary_key:
                self._fail(
                    change,
                    target,
                    f"NOT NULL column {subject} is missing from the contract",
                    f"Column `{subject}` is added as NOT NULL, but {where} has no field "
                    f"`{column}`. Add it to the contract (a minor version bump).",
                    [column],
                    breaking=False,
                )
            else:
                self._add(
                    Finding(
                        Level.WARNING,
                        Category.SCHEMA_NOT_IN_CONTRACT,
                        f"Column {subject} is not in the contract",
                        f"Column `{subject}` is added, but {where} has no field `{column}`; "
                        "subscribers will not know about it.",
                        change.location,
                        contract=contract.name,
                        fields=[column],
                    )
                )
            return
        physical = _physical_relation(f, spec.raw_type)
        if spec.data_type is not None and not types_compatible(spec.data_type, f.data_type):
            self._fail(
                change,
                target,
                f"Column {subject} type differs from the contract",
                f"Column `{subject}` is {spec.raw_type} ({spec.data_type}), but {where} says "
                f"`data_type: {f.data_type}`.",
                [f.name],
            )
        elif physical is TypeChange.CHANGED:
            self._fail(
                change,
                target,
                f"Column {subject} type differs from the contract",
                f"Column `{subject}` is {spec.raw_type}, but {where} says `physical_type: "
                f"{f.physical_type}`, and the one does not hold every value of the other.",
                [f.name],
            )
        elif physical is TypeChange.WIDENED:
            self._add(
                Finding(
                    Level.WARNING,
                    Category.SCHEMA_NOT_IN_CONTRACT,
                    f"Column {subject} is wider than the contract's physical type",
                    f"Column `{subject}` is {spec.raw_type}, wider than {where}'s "
                    f"`physical_type: {f.physical_type}`; update the field's physical_type.",
                    change.location,
                    contract=contract.name,
                    fields=[f.name],
                )
            )
        if spec.nullable and not f.nullable and not spec.primary_key and spec.understood:
            self._fail(
                change,
                target,
                f"Column {subject} allows NULL but the contract does not",
                f"Column `{subject}` is nullable, but {where} says `nullable: false`.",
                [f.name],
            )

    def _judge_type(self, change: SchemaChange, target: _Target, f: ContractField) -> None:
        where = f"contract `{target.contract.name}`"
        physical = _physical_relation(f, change.raw_type)
        if physical is TypeChange.CHANGED:
            self._fail(
                change,
                target,
                f"Column {change.subject} type change is not in the contract",
                f"{change.describe()}, but {where} says `physical_type: {f.physical_type}`, "
                "and this change does not only widen it (values may no longer fit, or read "
                "differently). Change the field's physical_type (breaking: major bump) or keep "
                "the type.",
                [f.name],
            )
            return
        if physical is TypeChange.WIDENED:
            self._add(
                Finding(
                    Level.WARNING,
                    Category.SCHEMA_NOT_IN_CONTRACT,
                    f"Column {change.subject} widened beyond the contract's physical type",
                    f"{change.describe()}, which widens {where}'s `physical_type: "
                    f"{f.physical_type}`: every value still fits, but consumers that size their "
                    "storage by it should know. Update the field's physical_type (a warning, "
                    "not breaking).",
                    change.location,
                    contract=target.contract.name,
                    fields=[f.name],
                )
            )
        if change.data_type is None:
            if physical is not None:
                return  # the physical types were compared; nothing more to say
            self._add(
                Finding(
                    Level.WARNING,
                    Category.SCHEMA_NOT_IN_CONTRACT,
                    f"Column {change.subject} type changed",
                    f"{change.describe()}; this check cannot map that type, so verify that "
                    f"{where}'s `data_type: {f.data_type}` still holds.",
                    change.location,
                    contract=target.contract.name,
                    fields=[f.name],
                )
            )
        elif not types_compatible(change.data_type, f.data_type):
            self._fail(
                change,
                target,
                f"Column {change.subject} type change is not in the contract",
                f"{change.describe()} ({change.data_type}), but {where} says "
                f"`data_type: {f.data_type}`. Change the field's data_type (breaking: major "
                "bump).",
                [f.name],
            )
        elif physical is None:
            self._add(
                Finding(
                    Level.NOTICE,
                    Category.INFO,
                    f"Column {change.subject} type changed",
                    f"{change.describe()}; still `{f.data_type}` for consumers.",
                    change.location,
                    contract=target.contract.name,
                    fields=[f.name],
                )
            )

    def _judge_created_table(self, change: SchemaChange, target: _Target) -> None:
        columns = {c.name.lower() for c in change.columns}
        for spec in change.columns:
            self._judge_column(change, target, spec.name, spec)
        for f in target.contract.schema_fields:
            if f.name.lower() not in columns:
                self._fail(
                    change,
                    target,
                    f"Contract field {f.name} has no column",
                    f"Table `{change.table}` is created without column `{f.name}`, which "
                    f"contract `{target.contract.name}` lists.",
                    [f.name],
                )

    # -- keys, unique constraints, indexes, enum types ------------------------------------
    def _recreated(self, change: SchemaChange, kind: SchemaChangeKind, fields: set[str]) -> bool:
        """Whether the PR adds back, on the same table, a key covering exactly ``fields``."""
        return any(
            other.kind is kind
            and same_table(other.table, change.table)
            and {c.lower() for c in other.key_columns} == fields
            for other in self.schema.changes
        )

    def _judge_key(self, change: SchemaChange, target: _Target) -> None:
        contract = target.contract
        kind = change.kind
        where = f"contract `{contract.name}` (table `{contract.effective_table}`)"
        columns = {c.lower() for c in change.key_columns}
        primary = [f for f in contract.schema_fields if f.is_primary_key]
        unique = [f for f in contract.schema_fields if f.unique and not f.is_primary_key]
        if kind is SchemaChangeKind.PRIMARY_KEY_DROPPED:
            promised = [f for f in primary if not columns or f.name.lower() in columns]
            wanted = {f.name.lower() for f in primary}
            if promised and self._recreated(change, SchemaChangeKind.PRIMARY_KEY_ADDED, wanted):
                return
            names = [f.name for f in promised]
            message = (
                f"{change.describe()}: a breaking change for consumers that rely on one row per key"
            )
            if promised:
                self._fail(
                    change,
                    target,
                    f"Primary key of {change.table} dropped",
                    f"{message}, and {where} promises `{', '.join(names)}` is the primary key. "
                    "Keep the key, or drop `is_primary_key` in the contract (breaking: major "
                    "bump).",
                    names,
                )
            else:
                self._fail(
                    change,
                    target,
                    f"Primary key of {change.table} dropped",
                    f"{message}; {where} declares no primary key, so verify no consumer relies "
                    "on it.",
                    None,
                    level=Level.WARNING,
                )
        elif kind in (SchemaChangeKind.UNIQUE_DROPPED, SchemaChangeKind.CONSTRAINT_DROPPED):
            if not columns and change.constraint:
                # `orders_email_key`, `uq_orders_email`: the name tells the column
                named = unique_name_columns(
                    change.constraint, change.table, [f.name for f in unique]
                )
                columns = {c.lower() for c in named}
            promised = [f for f in unique if f.name.lower() in columns] if columns else unique
            if not promised:
                return
            names = [f.name for f in promised]
            if columns and self._recreated(change, SchemaChangeKind.UNIQUE_ADDED, columns):
                return
            if columns:
                self._fail(
                    change,
                    target,
                    f"Unique constraint on {change.table} dropped",
                    f"{change.describe()}, but {where} promises `{', '.join(names)}` is unique. "
                    "Keep the constraint, or drop `unique` in the contract (breaking: major "
                    "bump).",
                    names,
                )
            else:
                self._fail(
                    change,
                    target,
                    f"Constraint {change.constraint} dropped on {change.table}",
                    f"{change.describe()}; this check cannot tell from its name which columns it "
                    f"covered, and {where} promises `{', '.join(names)}` is unique: verify the "
                    "promise still holds.",
                    names,
                    level=Level.WARNING,
                )
        elif kind is SchemaChangeKind.INDEX_DROPPED and unique:
            named = unique_name_columns(
                change.constraint or "", change.table, [f.name for f in unique], mysql_names=True
            )
            named_set = {c.lower() for c in named}
            if named and not columns:
                if self._recreated(change, SchemaChangeKind.UNIQUE_ADDED, named_set):
                    return
                self._fail(
                    change,
                    target,
                    f"Unique index on {change.table} dropped",
                    f"{change.describe()}: its name is the usual one of a unique key on "
                    f"`{', '.join(named)}`, which {where} promises is unique. Keep the index, "
                    "or drop `unique` in the contract (breaking: major bump).",
                    named,
                )
                return
            self._add(
                Finding(
                    Level.WARNING if not columns else Level.NOTICE,
                    Category.SCHEMA_NOT_IN_CONTRACT,
                    f"Index {change.constraint or ''} dropped on {change.table}".replace("  ", " "),
                    f"{change.describe()}; if it was a unique index, verify that {where}'s unique "
                    f"field(s) `{', '.join(f.name for f in unique)}` still hold.",
                    change.location,
                    contract=contract.name,
                    fields=[f.name for f in unique],
                )
            )
        elif kind is SchemaChangeKind.PRIMARY_KEY_ADDED:
            self._judge_primary_key_added(change, target, columns, primary)
        elif kind is SchemaChangeKind.UNIQUE_ADDED:
            flag = "unique"
            promised = unique
            if columns and columns != {f.name.lower() for f in promised}:
                self._add(
                    Finding(
                        Level.NOTICE,
                        Category.INFO,
                        f"{change.describe()[0].upper()}{change.describe()[1:]}",
                        f"{change.describe()}; {where} could promise it with `{flag}: true`.",
                        change.location,
                        contract=contract.name,
                        fields=list(change.key_columns),
                    )
                )

    def _judge_primary_key_added(
        self,
        change: SchemaChange,
        target: _Target,
        columns: set[str],
        primary: list[ContractField],
    ) -> None:
        """A key on existing columns changes what identifies a row, as the classifier counts
        a field joining or leaving the primary key (breaking). So: the contract's own key
        (re)created passes; a key on other columns than the contract's key fails; a key on a
        table whose contract declares none is a warning (declaring it is a major bump)."""
        contract = target.contract
        where = f"contract `{contract.name}` (table `{contract.effective_table}`)"
        declared = {f.name.lower() for f in primary}
        if not columns or columns == declared:
            return
        keyed = ", ".join(change.key_columns)
        if declared:
            self._fail(
                change,
                target,
                f"Primary key of {change.table} is not the contract's",
                f"{change.describe()}, but {where} promises "
                f"`{', '.join(f.name for f in primary)}` is the primary key: what identifies "
                "a row changes. Set `is_primary_key` on exactly the key's fields in the "
                "contract (breaking: major bump), or keep the key.",
                [f.name for f in primary],
            )
            return
        self._add(
            Finding(
                Level.WARNING,
                Category.SCHEMA_NOT_IN_CONTRACT,
                f"Primary key added on {change.table}",
                f"{change.describe()}; {where} declares no primary key. Consumers gain a "
                f"one-row-per-`{keyed}` guarantee the contract does not state (the migration "
                "fails on duplicate or NULL keys). Declaring it with `is_primary_key: true` is "
                "a breaking contract change (major bump), as every primary-key change is.",
                change.location,
                contract=contract.name,
                fields=list(change.key_columns),
            )
        )

    def _judge_unknown_table_key(self, change: SchemaChange) -> None:
        """``DROP INDEX name`` names no table: said, since it may have been a unique one."""
        if change.kind is not SchemaChangeKind.INDEX_DROPPED:
            return
        self._add(
            Finding(
                Level.NOTICE,
                Category.INFO,
                f"Index {change.constraint} dropped",
                f"Index `{change.constraint}` is dropped; the statement does not say on which "
                "table, so no contract's `unique` promise could be compared with it.",
                change.location,
            )
        )

    def _judge_enum_value(self, change: SchemaChange) -> None:
        """``ALTER TYPE … ADD VALUE``: consumers may now receive a label they do not know."""
        label = change.value or ""
        lists: list[str] = []
        contracts = [e.head for e in self.in_pr.values() if e.head is not None]
        contracts += [c for c in self.registry.contracts.values() if c.name not in self.in_pr]
        for contract in contracts:
            for f in contract.schema_fields:
                values = _enum_values(f)
                if values is not None and label not in values:
                    lists.append(f"`{contract.name}.{f.name}`")
        detail = (
            f" Enum field(s) without it: {', '.join(lists)} — add the label where the column "
            "uses this type (a warning-level contract change)."
            if lists
            else " Add it to the `enum` constraint of every contract field that uses this type."
        )
        self._add(
            Finding(
                Level.WARNING,
                Category.SCHEMA_NOT_IN_CONTRACT,
                f"Enum type {change.table} gains a value",
                f"{change.describe()}: consumers may receive a label they do not know.{detail}",
                change.location,
            )
        )

    # -- (b) and (c) contract changes ----------------------------------------------------
    def _contract_changes(self) -> None:
        for entry in self.in_pr.values():
            registered = self.registry.get(entry.name)
            if entry.status is ContractChangeStatus.REMOVED:
                self._add(
                    Finding(
                        Level.WARNING,
                        Category.INFO,
                        f"Contract {entry.name} removed from the repository",
                        f"Contract `{entry.name}` is no longer in `{entry.path}`. The registry "
                        "keeps it: deprecate it through the API so its subscribers are told.",
                        Location.at(entry.path, 1),
                        contract=entry.name,
                    )
                )
                continue
            head = entry.head
            assert head is not None
            report = entry.report
            old = entry.base
            if report is None and registered is not None:
                report, old = diff_contracts(registered, head), registered
            self._summarize(entry, old, report)
            if report is None or entry.status is ContractChangeStatus.UNCHANGED:
                continue
            self._bump(entry, report, old)
            self._unmatched(entry, report)
            if (
                registered is not None
                and old is not registered
                and (registered.version != old.version if old else True)
            ):
                self._registry_bump(entry, registered)

    def _summarize(
        self, entry: ContractChange, old: ContractDefinition | None, report: ChangeReport | None
    ) -> None:
        self.verdict.contracts.append(
            ContractSummary(
                name=entry.name,
                path=entry.path,
                status=(
                    "new in repository, registered"
                    if entry.status is ContractChangeStatus.ADDED and old is not None
                    else entry.status.value
                ),
                old_version=old.version if old else None,
                new_version=entry.head.version if entry.head else None,
                required_bump=report.required_bump if report else None,
                actual_bump=report.actual_bump if report else None,
                bump_ok=report.bump_ok if report else True,
                breaking=report.breaking if report else [],
            )
        )

    def _bump(
        self, entry: ContractChange, report: ChangeReport, old: ContractDefinition | None
    ) -> None:
        name = entry.name
        subscribers = self._subscribers(name, old)
        all_teams: set[str] = set()
        for change in report.breaking:
            fields = [change.field] if change.field else None
            teams = sorted(set(change.affected_subscribers) | set(_teams(subscribers, fields)))
            all_teams.update(teams)
            self._add(
                Finding(
                    Level.WARNING if report.bump_ok else Level.FAILURE,
                    Category.BREAKING_CHANGE,
                    f"Breaking change in {name}",
                    f"{change.message}{_teams_text(teams)}",
                    Location.at(entry.path, entry.line_for(change.path)),
                    contract=name,
                    fields=[change.field] if change.field else [],
                    subscribers=teams,
                    breaking=True,
                )
            )
        if not report.bump_ok:
            self._add(
                Finding(
                    Level.FAILURE,
                    Category.VERSION_BUMP,
                    f"Version bump too small for {name}",
                    (report.violation or "version policy violated")
                    + _teams_text(sorted(all_teams)),
                    Location.at(entry.path, entry.line_for("version")),
                    contract=name,
                    fields=report.affected_fields,
                    subscribers=sorted(all_teams),
                )
            )

    def _registry_bump(self, entry: ContractChange, registered: ContractDefinition) -> None:
        assert entry.head is not None
        report = diff_contracts(registered, entry.head)
        if report.bump_ok:
            return
        self._add(
            Finding(
                Level.FAILURE,
                Category.VERSION_BUMP,
                f"{entry.name} would be rejected by the registry",
                f"The registry holds version {registered.version} of `{entry.name}`; merging "
                f"would be refused: {report.violation}",
                Location.at(entry.path, entry.line_for("version")),
                contract=entry.name,
                fields=report.affected_fields,
            )
        )

    def _schema_has(self, table: str, kind: SchemaChangeKind, column: str | None) -> bool:
        wanted = (column or "").lower()
        for change in self.schema.changes:
            if not same_table(change.table, table):
                continue
            if (
                change.kind is SchemaChangeKind.TABLE_CREATED
                and kind is SchemaChangeKind.COLUMN_ADDED
                and any(c.name.lower() == wanted for c in change.columns)
            ):
                return True
            if change.kind is kind and (change.column or "").lower() == wanted:
                return True
            if (
                kind is SchemaChangeKind.COLUMN_ADDED
                and change.kind is SchemaChangeKind.COLUMN_RENAMED
                and (change.new_name or "").lower() == wanted
            ):
                return True
        return False

    def _unmatched(self, entry: ContractChange, report: ChangeReport) -> None:
        head = entry.head
        assert head is not None
        table = head.effective_table
        old_table = entry.base.effective_table if entry.base else table
        expected: dict[ChangeKind, SchemaChangeKind] = {
            ChangeKind.FIELD_ADDED: SchemaChangeKind.COLUMN_ADDED,
            ChangeKind.FIELD_REMOVED: SchemaChangeKind.COLUMN_DROPPED,
            ChangeKind.FIELD_RENAMED: SchemaChangeKind.COLUMN_RENAMED,
            ChangeKind.TYPE_CHANGED: SchemaChangeKind.COLUMN_TYPE_CHANGED,
            ChangeKind.NULLABLE_RELAXED: SchemaChangeKind.COLUMN_NULLABLE_CHANGED,
            ChangeKind.NULLABLE_TIGHTENED: SchemaChangeKind.COLUMN_NULLABLE_CHANGED,
        }
        for change in report.changes:
            if change.kind is ChangeKind.TABLE_CHANGED:
                renamed = any(
                    c.kind is SchemaChangeKind.TABLE_RENAMED and same_table(c.table, old_table)
                    for c in self.schema.changes
                )
                if not renamed:
                    self._unmatched_warning(entry, change, "no table rename in this pull request")
                continue
            schema_kind = expected.get(change.kind)
            if schema_kind is None or change.field is None:
                continue
            column = change.field
            if change.kind is ChangeKind.FIELD_RENAMED:
                matched = self._schema_has(old_table, SchemaChangeKind.COLUMN_RENAMED, column)
            elif change.kind is ChangeKind.FIELD_ADDED:
                matched = self._schema_has(table, schema_kind, column)
            else:
                matched = (
                    self._schema_has(old_table, schema_kind, column)
                    or (
                        change.kind is ChangeKind.FIELD_REMOVED
                        and self._schema_has(old_table, SchemaChangeKind.COLUMN_RENAMED, column)
                    )
                    or (change.kind is ChangeKind.FIELD_REMOVED and self._table_dropped(old_table))
                )
            if matched:
                continue
            if change.kind is ChangeKind.FIELD_REMOVED and self._schema_has(
                table, SchemaChangeKind.COLUMN_ADDED, column
            ):
                self._add(
                    Finding(
                        Level.FAILURE,
                        Category.CONTRACT_WITHOUT_SCHEMA,
                        f"Field {column} removed but its column is added",
                        f"Contract `{entry.name}` removes field `{column}` while this pull "
                        f"request adds column `{table}.{column}`.",
                        Location.at(entry.path, entry.line_for("schema")),
                        contract=entry.name,
                        fields=[column],
                    )
                )
                continue
            self._unmatched_warning(
                entry,
                change,
                f"no matching change to column `{table}.{column}` in this pull request",
            )

    def _table_dropped(self, table: str) -> bool:
        return any(
            c.kind is SchemaChangeKind.TABLE_DROPPED and same_table(c.table, table)
            for c in self.schema.changes
        )

    def _unmatched_warning(self, entry: ContractChange, change: Change, why: str) -> None:
        self._add(
            Finding(
                Level.WARNING,
                Category.CONTRACT_WITHOUT_SCHEMA,
                f"Contract change without schema change in {entry.name}",
                f"{change.message}, but {why} (fine if the database already matches).",
                Location.at(entry.path, entry.line_for(change.path)),
                contract=entry.name,
                fields=[change.field] if change.field else [],
            )
        )

    def _invalid_and_problems(self) -> None:
        for path, invalid in self.contracts.invalid:
            self._add(
                Finding(
                    Level.FAILURE,
                    Category.INVALID_CONTRACT,
                    f"Invalid contract{f' {invalid.name}' if invalid.name else ''}",
                    invalid.message,
                    Location.at(path, invalid.line),
                    contract=invalid.name,
                )
            )
        for problem in [*self.schema.problems, *self.contracts.problems]:
            self._add(self._problem_finding(problem))

    def _problem_finding(self, problem: FileProblem) -> Finding:
        """ "Not checked": fail closed when the unread part changed and may touch a contract."""
        table = problem.table
        location = Location.at(problem.path, problem.line)
        if not problem.unread_change:
            return Finding(
                Level.NOTICE, Category.NOT_UNDERSTOOD, "Not checked (unchanged)",
                f"{problem.message} (it reads the same at the base, so no change hides there)",
                location,
            )  # fmt: skip
        covered = self._covering(table) if table else None
        if covered == []:
            return Finding(
                Level.NOTICE, Category.NOT_UNDERSTOOD, "Not checked",
                f"{problem.message} (no contract describes table `{table}`)", location,
            )  # fmt: skip
        level = Level.FAILURE if self.unchecked is Unchecked.FAILURE else Level.WARNING
        return Finding(
            level,
            Category.NOT_UNDERSTOOD,
            "Not checked",
            f"{problem.message}. This change could not be read, so the check cannot pass it"
            + (f" — contract(s) {', '.join(f'`{n}`' for n in covered)}" if covered else ""),
            location,
            contract=covered[0] if covered else None,
            unchecked=True,
        )

    def _covering(self, table: str) -> list[str]:
        names = [
            e.name
            for e in self.in_pr.values()
            if e.head is not None and same_table(e.head.effective_table, table)
        ]
        names += [c.name for c in self.registry.for_table(table) if c.name not in names]
        return names


def judge(
    schema: SchemaDelta,
    contracts: ContractDelta,
    registry: Registry,
    *,
    unchecked: Unchecked = Unchecked.NEUTRAL,
) -> Verdict:
    return _Judge(schema, contracts, registry, unchecked).run()


def tables_concerned(schema: SchemaDelta) -> set[str]:
    """Every table the schema delta names, to look their contracts up in a registry."""
    tables = {c.table for c in schema.changes if c.table}
    tables |= {c.new_name for c in schema.changes if c.new_name}
    tables |= {p.table for p in schema.problems if p.table}
    return tables
