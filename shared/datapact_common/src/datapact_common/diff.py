"""Change classification between two versions of a contract (docs/design.md §4).

One function, :func:`diff_contracts`, serves the contract API, the GitHub
check and the CLI. Severities are from the consumer's point of view.
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from datapact_common.contract_schema import (
    ChangePolicy,
    ConstraintType,
    ContractDefinition,
    ContractField,
    ContractStatus,
    DataType,
    FieldConstraint,
    QualityMetric,
)
from datapact_common.odcs.verbatim import verbatim_changes
from datapact_common.physical_types import TypeChange, compare_physical_types
from datapact_common.quality_rules import QualityRule
from datapact_common.semver import Bump, SemVer, bump_between


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    BREAKING = "breaking"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.BREAKING: 2}


class ChangeKind(StrEnum):
    FIELD_ADDED = "field_added"
    FIELD_REMOVED = "field_removed"
    FIELD_RENAMED = "field_renamed"
    TYPE_CHANGED = "type_changed"
    PHYSICAL_TYPE_CHANGED = "physical_type_changed"
    PHYSICAL_TYPE_WIDENED = "physical_type_widened"
    PHYSICAL_NAME_CHANGED = "physical_name_changed"
    CLASSIFICATION_CHANGED = "classification_changed"
    NULLABLE_RELAXED = "nullable_relaxed"
    NULLABLE_TIGHTENED = "nullable_tightened"
    PRIMARY_KEY_CHANGED = "primary_key_changed"
    FOREIGN_KEY_CHANGED = "foreign_key_changed"
    UNIQUE_RELAXED = "unique_relaxed"
    UNIQUE_TIGHTENED = "unique_tightened"
    CONSTRAINT_LOOSENED = "constraint_loosened"
    CONSTRAINT_TIGHTENED = "constraint_tightened"
    ENUM_VALUES_CHANGED = "enum_values_changed"
    PII_CHANGED = "pii_changed"
    FIELD_DOCS_CHANGED = "field_docs_changed"
    SLA_WEAKENED = "sla_weakened"
    SLA_STRENGTHENED = "sla_strengthened"
    SLA_SETTINGS_CHANGED = "sla_settings_changed"
    TABLE_CHANGED = "table_changed"
    TABLE_REMOVED = "table_removed"
    ACCESS_CHANGED = "access_changed"
    ACCESS_SETTINGS_CHANGED = "access_settings_changed"
    DEPRECATED = "deprecated"
    STATUS_CHANGED = "status_changed"
    PUBLISHER_CHANGED = "publisher_changed"
    DOCS_CHANGED = "docs_changed"
    SUBSCRIBERS_CHANGED = "subscribers_changed"
    FIELD_DEPRECATED = "field_deprecated"
    FIELD_DEPRECATION_CHANGED = "field_deprecation_changed"
    CHANGE_POLICY_LOOSENED = "change_policy_loosened"
    CHANGE_POLICY_CHANGED = "change_policy_changed"


class Change(BaseModel):
    kind: ChangeKind
    severity: Severity
    path: str = Field(description="where in the document, e.g. 'schema.email.nullable'")
    field: str | None = Field(default=None, description="the field concerned, if any")
    message: str
    old: Any = None
    new: Any = None
    affected_subscribers: list[str] = Field(default_factory=list)
    versioned: bool = Field(
        default=True, description="False for changes that do not need a new version"
    )


class ChangeReport(BaseModel):
    """Every change from ``old_version`` to ``new_version`` and what bump it needs."""

    old_version: str
    new_version: str
    changes: list[Change]
    required_bump: str = Field(description="none | patch | minor | major")
    actual_bump: str | None = Field(description="none | patch | minor | major; null if lowered")
    bump_ok: bool
    violation: str | None = Field(default=None, description="why the versions break the policy")

    @property
    def highest_severity(self) -> Severity | None:
        if not self.changes:
            return None
        return max((c.severity for c in self.changes), key=lambda s: s.rank)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.severity is Severity.BREAKING]

    @property
    def affected_fields(self) -> list[str]:
        return sorted({c.field for c in self.changes if c.field})

    @property
    def has_versioned_changes(self) -> bool:
        return any(c.versioned for c in self.changes)


def diff_contracts(old: ContractDefinition, new: ContractDefinition) -> ChangeReport:
    """Classify every change from ``old`` to ``new`` and check the version bump."""
    differ = _Differ(old, new)
    changes = differ.run()
    required = required_bump(changes)
    actual = bump_between(old.version, new.version)
    violation = _policy_violation(old.version, new.version, required, actual, changes)
    return ChangeReport(
        old_version=old.version,
        new_version=new.version,
        changes=changes,
        required_bump=required.label,
        actual_bump=actual.label if actual is not None else None,
        bump_ok=violation is None,
        violation=violation,
    )


def removal_report(old: ContractDefinition, new_version: str, reason: str) -> ChangeReport:
    """The report of a contract whose schema object left its ODCS document (the document
    lives on at ``new_version``): a breaking "table removed", so a major version."""
    change = Change(
        kind=ChangeKind.TABLE_REMOVED,
        severity=Severity.BREAKING,
        path="table",
        message=f"table {old.effective_table} removed ({reason})",
        old=old.effective_table,
        affected_subscribers=sorted(s.team for s in old.subscribers),
    )
    required = required_bump([change])
    actual = bump_between(old.version, new_version)
    violation = _policy_violation(old.version, new_version, required, actual, [change])
    return ChangeReport(
        old_version=old.version,
        new_version=new_version,
        changes=[change],
        required_bump=required.label,
        actual_bump=actual.label if actual is not None else None,
        bump_ok=violation is None,
        violation=violation,
    )


def required_bump(changes: list[Change]) -> Bump:
    bump = Bump.NONE
    for change in changes:
        if not change.versioned:
            continue
        if change.severity is Severity.BREAKING:
            needed = Bump.MAJOR
        elif change.severity is Severity.WARNING or change.kind is ChangeKind.FIELD_ADDED:
            needed = Bump.MINOR
        else:
            needed = Bump.PATCH
        bump = max(bump, needed)
    return bump


def _policy_violation(
    old: str, new: str, required: Bump, actual: Bump | None, changes: list[Change]
) -> str | None:
    if actual is None:
        return f"version {new} is lower than the current version {old}"
    if actual < required:
        suggestion = SemVer.parse(old).bumped(required)
        reasons = [c.message for c in changes if c.versioned and _bump_for(c) > actual][:5]
        return (
            f"{required.label} version bump required (at least {suggestion}), got "
            f"{actual.label} ({old} -> {new}): " + "; ".join(reasons)
        )
    return None


def _bump_for(change: Change) -> Bump:
    return required_bump([change])


class _Differ:
    def __init__(self, old: ContractDefinition, new: ContractDefinition) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        # Who a change to one field affects, computed once: a contract may have thousands of
        # fields and changes, and scanning every subscriber's field list per change is
        # quadratic.
        self._everyone = sorted(s.team for s in old.subscribers)
        self._all_fields = [s.team for s in old.subscribers if not s.fields_used]
        self._by_field: dict[str, list[str]] = {}
        for sub in old.subscribers:
            for name in set(sub.fields_used):
                self._by_field.setdefault(name, []).append(sub.team)
        self._affected_cache: dict[str, list[str]] = {}

    def run(self) -> list[Change]:
        self._fields()
        self._quality()
        self._rules("quality_rules", None, self.old.quality_rules, self.new.quality_rules)
        self._contract_level()
        self._subscribers()
        return self.changes

    # -- helpers -----------------------------------------------------------
    def _subscribers_for(self, field: str | None) -> list[str]:
        """The teams a change affects: every subscriber for a contract-wide change (``None``),
        else those that use ``field`` or every field."""
        if field is None:
            return list(self._everyone)
        cached = self._affected_cache.get(field)
        if cached is None:
            cached = sorted({*self._all_fields, *self._by_field.get(field, ())})
            self._affected_cache[field] = cached
        return list(cached)

    def _add(
        self,
        kind: ChangeKind,
        severity: Severity,
        path: str,
        message: str,
        *,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
        versioned: bool = True,
        contract_wide: bool = False,
    ) -> None:
        affected: list[str] = []
        if severity is not Severity.INFO:
            affected = self._subscribers_for(None if contract_wide else field)
        self.changes.append(
            Change(
                kind=kind,
                severity=severity,
                path=path,
                field=field,
                message=message,
                old=old,
                new=new,
                affected_subscribers=affected,
                versioned=versioned,
            )
        )

    # -- fields ------------------------------------------------------------
    def _fields(self) -> None:
        old_fields = {f.name: f for f in self.old.schema_fields}
        new_fields = {f.name: f for f in self.new.schema_fields}
        renames = _match_renames(
            [f for n, f in old_fields.items() if n not in new_fields],
            [f for n, f in new_fields.items() if n not in old_fields],
        )
        renamed_to = set(renames.values())
        removed = [n for n in old_fields if n not in new_fields and n not in renames]
        added = [n for n in new_fields if n not in old_fields and n not in renamed_to]
        for old_name, new_name in renames.items():
            self._add(
                ChangeKind.FIELD_RENAMED,
                Severity.BREAKING,
                f"schema.{old_name}",
                f"field '{old_name}' renamed to '{new_name}'",
                field=old_name,
                old=old_name,
                new=new_name,
            )
        for name in removed:
            self._add(
                ChangeKind.FIELD_REMOVED,
                Severity.BREAKING,
                f"schema.{name}",
                f"field '{name}' removed",
                field=name,
                old=old_fields[name].model_dump(mode="json"),
            )
        for name in added:
            field = new_fields[name]
            self._add(
                ChangeKind.FIELD_ADDED,
                Severity.INFO,
                f"schema.{name}",
                f"field '{name}' added ({field.data_type}"
                f"{', not null' if not field.nullable else ''})",
                field=name,
                new=field.model_dump(mode="json"),
            )
        for name, old_field in old_fields.items():
            if name in new_fields:
                self._field(old_field, new_fields[name])

    def _field(self, old: ContractField, new: ContractField) -> None:
        name = old.name
        path = f"schema.{name}"
        if old.data_type != new.data_type:
            self._add(
                ChangeKind.TYPE_CHANGED,
                _type_change_severity(old.data_type, new.data_type),
                f"{path}.data_type",
                f"field '{name}' type changed from {old.data_type} to {new.data_type}",
                field=name,
                old=str(old.data_type),
                new=str(new.data_type),
            )
        self._physical(old, new)
        if old.nullable != new.nullable:
            if new.nullable:
                self._add(
                    ChangeKind.NULLABLE_RELAXED,
                    Severity.BREAKING,
                    f"{path}.nullable",
                    f"field '{name}' may now be null",
                    field=name,
                    old=False,
                    new=True,
                )
            else:
                self._add(
                    ChangeKind.NULLABLE_TIGHTENED,
                    Severity.INFO,
                    f"{path}.nullable",
                    f"field '{name}' is now required (not null)",
                    field=name,
                    old=True,
                    new=False,
                )
        if old.is_primary_key != new.is_primary_key:
            self._add(
                ChangeKind.PRIMARY_KEY_CHANGED,
                Severity.BREAKING,
                f"{path}.is_primary_key",
                f"field '{name}' {'joined' if new.is_primary_key else 'left'} the primary key",
                field=name,
                old=old.is_primary_key,
                new=new.is_primary_key,
            )
        if old.foreign_key_reference != new.foreign_key_reference:
            self._add(
                ChangeKind.FOREIGN_KEY_CHANGED,
                Severity.WARNING,
                f"{path}.foreign_key_reference",
                f"field '{name}' foreign key changed from {old.foreign_key_reference or 'none'} "
                f"to {new.foreign_key_reference or 'none'}",
                field=name,
                old=old.foreign_key_reference,
                new=new.foreign_key_reference,
            )
        if old.is_unique != new.is_unique and old.is_primary_key == new.is_primary_key:
            relaxed = old.is_unique and not new.is_unique
            self._add(
                ChangeKind.UNIQUE_RELAXED if relaxed else ChangeKind.UNIQUE_TIGHTENED,
                Severity.BREAKING if relaxed else Severity.INFO,
                f"{path}.unique",
                f"field '{name}' {'no longer' if relaxed else 'now'} unique",
                field=name,
                old=old.is_unique,
                new=new.is_unique,
            )
        if old.is_pii != new.is_pii:
            self._add(
                ChangeKind.PII_CHANGED,
                Severity.WARNING,
                f"{path}.is_pii",
                f"field '{name}' {'is now' if new.is_pii else 'is no longer'} marked PII",
                field=name,
                old=old.is_pii,
                new=new.is_pii,
            )
        if old.classification != new.classification:
            self._add(
                ChangeKind.CLASSIFICATION_CHANGED,
                Severity.WARNING,
                f"{path}.classification",
                f"field '{name}' classification changed from {old.classification or 'none'} "
                f"to {new.classification or 'none'}",
                field=name,
                old=old.classification,
                new=new.classification,
            )
        for attr in ("description", "example_value"):
            if getattr(old, attr) != getattr(new, attr):
                self._add(
                    ChangeKind.FIELD_DOCS_CHANGED,
                    Severity.INFO,
                    f"{path}.{attr}",
                    f"field '{name}' {attr.replace('_', ' ')} changed",
                    field=name,
                    old=getattr(old, attr),
                    new=getattr(new, attr),
                )
        self._constraints(name, old.constraints, new.constraints)
        self._deprecation(old, new)
        self._rules(f"{path}.quality_rules", name, old.quality_rules, new.quality_rules)

    def _deprecation(self, old: ContractField, new: ContractField) -> None:
        """Marking a field deprecated warns its readers; an earlier sunset warns them again;
        anything else about a deprecation (undoing it, a later sunset, a replacement named)
        is information."""
        before, after = old.deprecated, new.deprecated
        if before == after:
            return
        name, path = old.name, f"schema.{old.name}.deprecated"
        old_doc = before.model_dump(mode="json") if before else None
        new_doc = after.model_dump(mode="json") if after else None
        if before is None and after is not None:
            details = [f"sunset {after.sunset}" if after.sunset else "no sunset date"]
            if after.replacement:
                details.append(f"use '{after.replacement}' instead")
            self._add(
                ChangeKind.FIELD_DEPRECATED,
                Severity.WARNING,
                path,
                f"field '{name}' deprecated ({', '.join(details)})",
                field=name,
                old=old_doc,
                new=new_doc,
            )
            return
        earlier = (
            before is not None
            and after is not None
            and after.sunset is not None
            and (before.sunset is None or after.sunset < before.sunset)
        )
        message = (
            f"field '{name}' sunset moved earlier: {before.sunset if before else None} -> "
            f"{after.sunset if after else None}"
            if earlier
            else f"field '{name}' "
            + ("no longer deprecated" if after is None else "deprecation details changed")
        )
        self._add(
            ChangeKind.FIELD_DEPRECATION_CHANGED,
            Severity.WARNING if earlier else Severity.INFO,
            path,
            message,
            field=name,
            old=old_doc,
            new=new_doc,
        )

    def _physical(self, old: ContractField, new: ContractField) -> None:
        """The column's type and name as the database writes them."""
        name, path = old.name, f"schema.{old.name}"
        before, after = old.physical_type, new.physical_type
        if before != after:
            how = (
                compare_physical_types(before, after)
                if before is not None and after is not None
                else None
            )
            if how is TypeChange.WIDENED:
                kind, severity, verb = (
                    ChangeKind.PHYSICAL_TYPE_WIDENED, Severity.WARNING, "widened"
                )  # fmt: skip
            elif how is TypeChange.SAME:
                kind, severity, verb = (
                    ChangeKind.FIELD_DOCS_CHANGED, Severity.INFO, "rewritten (same type)"
                )  # fmt: skip
            elif before is None:
                kind, severity, verb = (ChangeKind.FIELD_DOCS_CHANGED, Severity.INFO, "stated")
            elif after is None:
                # A promise about the column's type is withdrawn.
                kind, severity, verb = (
                    ChangeKind.PHYSICAL_TYPE_CHANGED, Severity.WARNING, "no longer stated"
                )  # fmt: skip
            else:
                kind, severity, verb = (
                    ChangeKind.PHYSICAL_TYPE_CHANGED, Severity.BREAKING, "changed"
                )  # fmt: skip
            self._add(
                kind,
                severity,
                f"{path}.physical_type",
                f"field '{name}' physical type {verb}: {before or 'none'} -> {after or 'none'}",
                field=name,
                old=before,
                new=after,
            )
        old_column, new_column = old.physical_name or name, new.physical_name or name
        if old_column != new_column:
            self._add(
                ChangeKind.PHYSICAL_NAME_CHANGED,
                Severity.BREAKING,
                f"{path}.physical_name",
                f"field '{name}' column renamed from {old_column} to {new_column}",
                field=name,
                old=old_column,
                new=new_column,
            )
        elif old.physical_name != new.physical_name:
            self._add(
                ChangeKind.FIELD_DOCS_CHANGED,
                Severity.INFO,
                f"{path}.physical_name",
                f"field '{name}' column name written out (same column)",
                field=name,
                old=old.physical_name,
                new=new.physical_name,
            )

    def _constraints(
        self, name: str, old: list[FieldConstraint], new: list[FieldConstraint]
    ) -> None:
        path = f"schema.{name}.constraints"
        old_by = _constraints_by_key(old)
        new_by = _constraints_by_key(new)
        for key in sorted(set(old_by) | set(new_by)):
            before, after = old_by.get(key), new_by.get(key)
            kind = before.type if before is not None else after.type  # type: ignore[union-attr]
            label = f"{kind}" if kind is not ConstraintType.EXPRESSION else f"expression {key[1]!r}"
            if before is None:
                self._add(
                    ChangeKind.CONSTRAINT_TIGHTENED,
                    Severity.INFO,
                    f"{path}.{kind}",
                    f"field '{name}' constraint {label} added",
                    field=name,
                    new=after.value if after else None,
                )
                continue
            if after is None:
                self._add(
                    ChangeKind.CONSTRAINT_LOOSENED,
                    Severity.BREAKING,
                    f"{path}.{kind}",
                    f"field '{name}' constraint {label} removed",
                    field=name,
                    old=before.value,
                )
                continue
            if before.value == after.value:
                if before.message != after.message:
                    self._add(
                        ChangeKind.FIELD_DOCS_CHANGED,
                        Severity.INFO,
                        f"{path}.{kind}.message",
                        f"field '{name}' constraint {label} message changed",
                        field=name,
                        old=before.message,
                        new=after.message,
                    )
                continue
            self._constraint_value(name, f"{path}.{kind}", before, after)

    def _constraint_value(
        self, name: str, path: str, before: FieldConstraint, after: FieldConstraint
    ) -> None:
        kind = before.type
        old_v, new_v = before.value, after.value
        if kind is ConstraintType.ENUM:
            added = _missing_from(new_v, old_v)
            removed = _missing_from(old_v, new_v)
            parts = []
            if added:
                parts.append(f"added {added}")
            if removed:
                parts.append(f"removed {removed}")
            self._add(
                ChangeKind.ENUM_VALUES_CHANGED,
                # The same values in another order admit exactly what they did before.
                Severity.WARNING if parts else Severity.INFO,
                path,
                f"field '{name}' enum values changed: {', '.join(parts) or 'reordered'}",
                field=name,
                old=old_v,
                new=new_v,
            )
            return
        if kind in (ConstraintType.MIN, ConstraintType.MIN_LENGTH):
            loosened = new_v < old_v
        elif kind in (ConstraintType.MAX, ConstraintType.MAX_LENGTH):
            loosened = new_v > old_v
        else:  # regex or expression: cannot prove the new one admits no more values
            loosened = True
        self._add(
            ChangeKind.CONSTRAINT_LOOSENED if loosened else ChangeKind.CONSTRAINT_TIGHTENED,
            Severity.BREAKING if loosened else Severity.INFO,
            path,
            f"field '{name}' constraint {kind} {'loosened' if loosened else 'tightened'}: "
            f"{old_v!r} -> {new_v!r}",
            field=name,
            old=old_v,
            new=new_v,
        )

    # -- quality rules (ODCS) --------------------------------------------------
    def _rules(
        self, path: str, name: str | None, old: list[QualityRule], new: list[QualityRule]
    ) -> None:
        """A rule added or tightened may fail on today's data: a warning. A rule removed or
        loosened promises subscribers less: breaking, as a value constraint removed or
        loosened is. A change that is neither (another query, metric arguments, unit) is
        breaking too, as a changed regex is: it cannot be shown to promise as much."""
        where = f"field '{name}' " if name else ""
        old_by, new_by = _rules_by_key(old), _rules_by_key(new)
        for key in [*old_by, *(k for k in new_by if k not in old_by)]:
            before, after = old_by.get(key), new_by.get(key)
            label = f"quality rule {key[0]}" + (f" {key[1]!r}" if key[1] else "")
            rule_path = f"{path}.{key[0]}" + (f".{key[1]}" if key[1] else "")
            if before is None and after is not None:
                self._add(
                    ChangeKind.CONSTRAINT_TIGHTENED,
                    Severity.WARNING,
                    rule_path,
                    f"{where}{label} added ({after.expectation()}): today's data may fail it",
                    field=name,
                    new=after.to_odcs(),
                    contract_wide=name is None,
                )
            elif after is None and before is not None:
                self._add(
                    ChangeKind.CONSTRAINT_LOOSENED,
                    Severity.BREAKING,
                    rule_path,
                    f"{where}{label} removed",
                    field=name,
                    old=before.to_odcs(),
                    contract_wide=name is None,
                )
            elif before is not None and after is not None and before != after:
                self._rule_change(rule_path, name, where + label, before, after)

    def _rule_change(
        self, path: str, name: str | None, label: str, before: QualityRule, after: QualityRule
    ) -> None:
        same_measure = _measure(before) == _measure(after)
        if same_measure:
            old_set, new_set = before.accepted(), after.accepted()
            if old_set == new_set:
                self._add(
                    ChangeKind.FIELD_DOCS_CHANGED,
                    Severity.INFO,
                    path,
                    f"{label} reworded (same threshold)",
                    field=name,
                    old=before.to_odcs(),
                    new=after.to_odcs(),
                )
                return
            tightened = all(any(a.within(b) for b in old_set) for a in new_set)
        else:
            tightened = False
        self._add(
            ChangeKind.CONSTRAINT_TIGHTENED if tightened else ChangeKind.CONSTRAINT_LOOSENED,
            Severity.WARNING if tightened else Severity.BREAKING,
            path,
            f"{label} {'tightened' if tightened else 'changed'}: {before.expectation()} -> "
            f"{after.expectation()}" + ("" if same_measure else " (what it measures changed)"),
            field=name,
            old=before.to_odcs(),
            new=after.to_odcs(),
            contract_wide=name is None,
        )

    # -- quality -----------------------------------------------------------
    def _quality(self) -> None:
        old_q = {q.metric_type: q for q in self.old.quality}
        new_q = {q.metric_type: q for q in self.new.quality}
        for metric in sorted(set(old_q) | set(new_q)):
            before, after = old_q.get(metric), new_q.get(metric)
            path = f"quality.{metric}"
            if after is None and before is not None:
                self._add(
                    ChangeKind.SLA_WEAKENED,
                    Severity.BREAKING,
                    path,
                    f"{metric} SLA ({before.threshold}) removed",
                    old=before.threshold,
                    contract_wide=True,
                )
            elif before is None and after is not None:
                self._add(
                    ChangeKind.SLA_STRENGTHENED,
                    Severity.INFO,
                    path,
                    f"{metric} SLA ({after.threshold}) added",
                    new=after.threshold,
                )
            elif before is not None and after is not None:
                self._sla(path, before, after)

    def _sla(self, path: str, before: QualityMetric, after: QualityMetric) -> None:
        metric = before.metric_type
        old_t, new_t = before.parsed_threshold(), after.parsed_threshold()
        if old_t != new_t:
            # A longer freshness window or a lower percentage promises less.
            weaker = new_t > old_t if metric == "freshness" else new_t < old_t  # type: ignore[operator]
            self._add(
                ChangeKind.SLA_WEAKENED if weaker else ChangeKind.SLA_STRENGTHENED,
                Severity.BREAKING if weaker else Severity.INFO,
                f"{path}.threshold",
                f"{metric} SLA {'weakened' if weaker else 'strengthened'}: "
                f"{before.threshold} -> {after.threshold}",
                old=before.threshold,
                new=after.threshold,
                contract_wide=True,
            )
        elif before.threshold != after.threshold:
            self._add(
                ChangeKind.SLA_SETTINGS_CHANGED,
                Severity.INFO,
                f"{path}.threshold",
                f"{metric} SLA rewritten without changing its value: "
                f"{before.threshold} -> {after.threshold}",
                old=before.threshold,
                new=after.threshold,
            )
        for attr in ("measurement_method", "alert_on_breach"):
            if getattr(before, attr) != getattr(after, attr):
                self._add(
                    ChangeKind.SLA_SETTINGS_CHANGED,
                    Severity.INFO,
                    f"{path}.{attr}",
                    f"{metric} SLA {attr.replace('_', ' ')} changed",
                    old=getattr(before, attr),
                    new=getattr(after, attr),
                )

    # -- contract level ----------------------------------------------------
    def _contract_level(self) -> None:
        old, new = self.old, self.new
        if old.effective_table != new.effective_table:
            self._add(
                ChangeKind.TABLE_CHANGED,
                Severity.BREAKING,
                "table",
                f"table changed from {old.effective_table} to {new.effective_table}",
                old=old.effective_table,
                new=new.effective_table,
                contract_wide=True,
            )
        elif old.table != new.table:
            self._add(
                ChangeKind.DOCS_CHANGED,
                Severity.INFO,
                "table",
                "table written out explicitly (same physical table)",
                old=old.table,
                new=new.table,
            )
        self._access()
        self._change_policy()
        if old.status != new.status:
            if new.status is ContractStatus.DEPRECATED:
                self._add(
                    ChangeKind.DEPRECATED,
                    Severity.WARNING,
                    "status",
                    "contract deprecated",
                    old=str(old.status),
                    new=str(new.status),
                    contract_wide=True,
                )
            else:
                self._add(
                    ChangeKind.STATUS_CHANGED,
                    Severity.INFO,
                    "status",
                    f"status changed from {old.status} to {new.status}",
                    old=str(old.status),
                    new=str(new.status),
                )
        if old.publisher != new.publisher:
            self._add(
                ChangeKind.PUBLISHER_CHANGED,
                Severity.INFO,
                "publisher",
                "publisher details changed",
                old=old.publisher.model_dump(mode="json"),
                new=new.publisher.model_dump(mode="json"),
            )
        for attr in ("description", "tags", "metadata"):
            if getattr(old, attr) != getattr(new, attr):
                self._add(
                    ChangeKind.DOCS_CHANGED,
                    Severity.INFO,
                    attr,
                    f"{attr} changed",
                    old=getattr(old, attr),
                    new=getattr(new, attr),
                )
        for section in verbatim_changes(old.odcs, new.odcs):
            self._add(
                ChangeKind.DOCS_CHANGED,
                Severity.INFO,
                f"odcs.{section}",
                f"ODCS {section} changed (kept verbatim, not checked by DataPact)",
            )

    def _change_policy(self) -> None:
        """A policy that gives the affected teams less say (a shorter notice, approval no
        longer required, the policy dropped) is a warning to every subscriber."""
        before, after = self.old.change_policy, self.new.change_policy
        if before == after:
            return
        if policy_loosened(before, after):
            kind, severity, verb = ChangeKind.CHANGE_POLICY_LOOSENED, Severity.WARNING, "loosened"
        else:
            kind, severity, verb = ChangeKind.CHANGE_POLICY_CHANGED, Severity.INFO, "changed"
        self._add(
            kind,
            severity,
            "change_policy",
            f"change policy {verb}: {_policy_text(before)} -> {_policy_text(after)}",
            old=before.model_dump(mode="json") if before else None,
            new=after.model_dump(mode="json") if after else None,
            contract_wide=severity is Severity.WARNING,
        )

    def _access(self) -> None:
        before, after = self.old.access, self.new.access
        if before == after:
            return
        old_doc = before.model_dump(mode="json") if before else None
        new_doc = after.model_dump(mode="json") if after else None
        endpoint_or_auth = (
            before is None
            or after is None
            or before.endpoint_url != after.endpoint_url
            or before.auth_type != after.auth_type
            or before.required_scopes != after.required_scopes
        )
        if endpoint_or_auth:
            self._add(
                ChangeKind.ACCESS_CHANGED,
                Severity.WARNING,
                "access",
                "access endpoint or authentication changed",
                old=old_doc,
                new=new_doc,
                contract_wide=True,
            )
        else:
            self._add(
                ChangeKind.ACCESS_SETTINGS_CHANGED,
                Severity.INFO,
                "access",
                "access methods or rate limit changed",
                old=old_doc,
                new=new_doc,
            )

    def _subscribers(self) -> None:
        old_s = {s.team: s for s in self.old.subscribers}
        new_s = {s.team: s for s in self.new.subscribers}
        for team in sorted(set(old_s) | set(new_s)):
            before, after = old_s.get(team), new_s.get(team)
            if before == after:
                continue
            verb = "joined" if before is None else "left" if after is None else "changed"
            self._add(
                ChangeKind.SUBSCRIBERS_CHANGED,
                Severity.INFO,
                f"subscribers.{team}",
                f"subscriber '{team}' {verb}",
                old=before.model_dump(mode="json") if before else None,
                new=after.model_dump(mode="json") if after else None,
                versioned=False,
            )


def policy_loosened(before: ChangePolicy | None, after: ChangePolicy | None) -> bool:
    """Whether ``after`` gives the affected teams less say than ``before`` (no policy at
    all gives them none)."""
    if before is None:
        return False
    if after is None:
        return True
    return after.notice_days < before.notice_days or (
        before.require_approval and not after.require_approval
    )


def _policy_text(policy: ChangePolicy | None) -> str:
    if policy is None:
        return "none"
    approval = "approval required" if policy.require_approval else "no approval required"
    return f"{policy.notice_days} days' notice, {approval}"


# Type changes a consumer cannot notice: the values are read exactly as before. A string
# declared as an enum keeps its values (its labels are classified as an `enum` constraint).
_UNNOTICED_TYPE_CHANGES = frozenset({(DataType.STRING, DataType.ENUM)})


def _type_change_severity(old: DataType, new: DataType) -> Severity:
    return Severity.INFO if (old, new) in _UNNOTICED_TYPE_CHANGES else Severity.BREAKING


def _measure(rule: QualityRule) -> tuple[Any, ...]:
    return (rule.type, rule.metric, rule.arguments, rule.query, rule.unit)


def _rules_by_key(rules: list[QualityRule]) -> dict[tuple[str, str], QualityRule]:
    """Rules keyed by (kind, name), or (kind, '#n') for the n-th unnamed rule of a kind."""
    keyed: dict[tuple[str, str], QualityRule] = {}
    seen: Counter[str] = Counter()
    for rule in rules:
        if rule.name:
            keyed[(rule.kind, rule.name)] = rule
            continue
        count = seen[rule.kind]
        seen[rule.kind] += 1
        keyed[(rule.kind, f"#{count}" if count else "")] = rule
    return keyed


def _constraints_by_key(
    constraints: list[FieldConstraint],
) -> dict[tuple[str, str], FieldConstraint]:
    keyed: dict[tuple[str, str], FieldConstraint] = {}
    for c in constraints:
        extra = str(c.value) if c.type is ConstraintType.EXPRESSION else ""
        keyed[(str(c.type), extra)] = c
    return keyed


def _rename_signature(field: ContractField) -> tuple[Any, ...]:
    return (
        field.data_type,
        field.nullable,
        field.is_primary_key,
        field.foreign_key_reference,
        field.is_pii,
        field.description,
    )


def _match_renames(removed: list[ContractField], added: list[ContractField]) -> dict[str, str]:
    """Pair a removed and an added field that are identical but for the name.

    Only unambiguous pairs (one candidate on each side) count as renames; a
    field without a description is never taken as renamed. Fields are grouped by signature,
    so this is linear in the number of fields.
    """
    removed_by: dict[tuple[Any, ...], list[ContractField]] = {}
    for old in removed:
        removed_by.setdefault(_rename_signature(old), []).append(old)
    added_by: dict[tuple[Any, ...], list[ContractField]] = {}
    for new in added:
        added_by.setdefault(_rename_signature(new), []).append(new)
    pairs: dict[str, str] = {}
    for old in removed:
        if not old.description:
            continue
        signature = _rename_signature(old)
        candidates = added_by.get(signature, [])
        if len(candidates) == 1 and len(removed_by[signature]) == 1:
            pairs[old.name] = candidates[0].name
    return pairs


def _missing_from(values: list[Any], others: list[Any]) -> list[Any]:
    """The items of ``values`` not in ``others``, in order (enum values may be unhashable)."""
    try:
        known = set(others)  # the same equality as `in` on the list, in constant time
    except TypeError:
        return [v for v in values if v not in others]
    try:
        return [v for v in values if v not in known]
    except TypeError:
        return [v for v in values if v not in others]
