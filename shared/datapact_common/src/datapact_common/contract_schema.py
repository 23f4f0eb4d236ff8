"""The one contract document (docs/design.md §3).

The YAML file in a repository, the JSON body of ``POST``/``PUT``, the body of
``GET /api/v1/contracts/{id}`` (plus read-only server fields) and the CLI all
use :class:`ContractDefinition`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from datapact_common.expressions import parse_expression
from datapact_common.names import check_name
from datapact_common.quality_rules import (
    FIELD_METRICS,
    PROPERTY_PLACEHOLDER,
    TABLE_METRICS,
    LibraryMetric,
    QualityRule,
    RuleType,
    parse_rule_query,
)
from datapact_common.regex_rules import check_regex
from datapact_common.semver import SEMVER_PATTERN
from datapact_common.thresholds import (
    Threshold,
    parse_duration,
    parse_percentage,
    parse_row_range,
)

CONTRACT_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
FIELD_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
TABLE_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$"
FOREIGN_KEY_PATTERN = r"^[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$"

ContractName = Annotated[
    str, StringConstraints(min_length=1, max_length=255, pattern=CONTRACT_NAME_PATTERN)
]
FieldName = Annotated[
    str, StringConstraints(min_length=1, max_length=255, pattern=FIELD_NAME_PATTERN)
]
# Identifiers people read and the registry compares: no invisible, bidi or line-breaking
# characters (datapact_common.names).
Team = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=255),
    AfterValidator(check_name),
]
Owner = Annotated[str, StringConstraints(min_length=1, max_length=255), AfterValidator(check_name)]
PhysicalText = Annotated[str, StringConstraints(min_length=1, max_length=255)]
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(check_name),
]
_INT64 = (-(2**63), 2**63 - 1)


def _free_text(value: str | None) -> str | None:
    """Descriptions reach the Mermaid ERD: a ``%%`` directive or comment there could change
    how every diagram renders, so it is refused here with a reason."""
    if value is None:
        return value
    if "%%{" in value or any(line.lstrip().startswith("%%") for line in value.splitlines()):
        raise ValueError(
            "text must not hold a Mermaid directive or comment ('%%{...}%%', or a line "
            "starting with '%%'): the ERD's diagram would read it"
        )
    return value


FreeText = Annotated[str | None, AfterValidator(_free_text)]


def _number_problems(value: Any) -> list[str]:
    """Numbers a contract cannot hold: NaN/Infinity (not JSON) and integers outside 64 bits."""
    if _numbers_storable(value):
        return []
    return _located_number_problems(value)


def _numbers_storable(value: Any) -> bool:
    """Whether :func:`_located_number_problems` finds nothing, without building a location
    for every value (most of its cost)."""
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is dict:
            extend(item.values())
        elif kind is list:
            extend(item)
        elif kind is str or kind is bool or item is None:
            continue
        elif kind is int:
            if not _INT64[0] <= item <= _INT64[1]:
                return False
        elif kind is float:
            if not math.isfinite(item):
                return False
        elif isinstance(item, (int, float, dict, list)):
            return False  # a subclass: the located walk decides
    return True


def _located_number_problems(value: Any) -> list[str]:
    problems: list[str] = []
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack and len(problems) < 5:
        item, where = stack.pop()
        if isinstance(item, bool):
            continue
        if isinstance(item, float) and not math.isfinite(item):
            problems.append(f"{where or '(document)'}: NaN and Infinity are not numbers here")
        elif isinstance(item, int) and not _INT64[0] <= item <= _INT64[1]:
            problems.append(f"{where or '(document)'}: integer outside the 64-bit range")
        elif isinstance(item, dict):
            stack.extend((v, f"{where}.{k}" if where else str(k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{where}.{i}" if where else str(i)) for i, v in enumerate(item))
    return problems


class _Strict(BaseModel):
    """Unknown keys are an error, so a typo never silently drops data."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DataType(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    TIMESTAMP = "timestamp"
    UUID = "uuid"
    JSON = "json"
    ARRAY = "array"
    # Bytes (PostgreSQL bytea, MySQL blob/varbinary, DuckDB BLOB).
    BINARY = "binary"
    # One of a fixed list of labels: a database enum type (or a text column kept to the
    # list); the field lists its labels in an `enum` constraint.
    ENUM = "enum"
    # A full-text search document (PostgreSQL tsvector).
    FULL_TEXT = "full_text"


class AuthType(StrEnum):
    NONE = "none"
    API_KEY = "api_key"
    OAUTH2 = "oauth2"
    BASIC = "basic"
    JWT = "jwt"


class MetricType(StrEnum):
    FRESHNESS = "freshness"
    COMPLETENESS = "completeness"
    ACCURACY = "accuracy"
    AVAILABILITY = "availability"
    UNIQUENESS = "uniqueness"
    VOLUME = "volume"  # a row-count range


class ContractStatus(StrEnum):
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    DRAFT = "draft"


class ConstraintType(StrEnum):
    MIN = "min"
    MAX = "max"
    MIN_LENGTH = "min_length"
    MAX_LENGTH = "max_length"
    REGEX = "regex"
    ENUM = "enum"
    EXPRESSION = "expression"


_NUMERIC_CONSTRAINTS = {ConstraintType.MIN, ConstraintType.MAX}
_LENGTH_CONSTRAINTS = {ConstraintType.MIN_LENGTH, ConstraintType.MAX_LENGTH}


class FieldConstraint(_Strict):
    """A constraint on a field's values."""

    type: ConstraintType
    value: Any
    message: str | None = None

    @model_validator(mode="after")
    def _value_fits_type(self) -> FieldConstraint:
        value = self.value
        if self.type in _NUMERIC_CONSTRAINTS:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"constraint '{self.type}' needs a number, got {value!r}")
        elif self.type in _LENGTH_CONSTRAINTS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"constraint '{self.type}' needs a whole number >= 0")
        elif self.type is ConstraintType.REGEX:
            if not isinstance(value, str):
                raise ValueError("constraint 'regex' needs a pattern string")
            try:
                check_regex(value)
            except ValueError as exc:
                raise ValueError(f"constraint 'regex' {exc}") from exc
        elif self.type is ConstraintType.ENUM:
            if not isinstance(value, list) or not value:
                raise ValueError("constraint 'enum' needs a non-empty list of allowed values")
        elif not isinstance(value, str) or not value.strip():
            raise ValueError("constraint 'expression' needs a non-empty string")
        else:
            try:
                parse_expression(value)
            except ValueError as exc:
                raise ValueError(f"constraint 'expression' {value!r:.80}: {exc}") from exc
        return self

    @property
    def expression_columns(self) -> frozenset[str]:
        """The columns an ``expression`` constraint reads (empty for other kinds)."""
        if self.type is not ConstraintType.EXPRESSION:
            return frozenset()
        return parse_expression(str(self.value)).columns


class FieldDeprecation(_Strict):
    """A field on its way out: since when, the day it may be removed, what to read instead
    (docs/workflow.md). Subscribers that use it get a notice and reminders before ``sunset``;
    after ``sunset`` removing it needs the major bump but no approval."""

    since: date | None = Field(default=None, description="the day the field was deprecated")
    sunset: date | None = Field(
        default=None, description="the first day the field may be removed without approval"
    )
    replacement: FieldName | None = Field(
        default=None, description="the field subscribers should read instead"
    )

    @model_validator(mode="after")
    def _ordered(self) -> FieldDeprecation:
        if self.since is not None and self.sunset is not None and self.sunset < self.since:
            raise ValueError(f"deprecation sunset {self.sunset} is before since {self.since}")
        return self


class ChangePolicy(_Strict):
    """How a breaking change reaches the teams it breaks (docs/workflow.md). Without a
    policy (``change_policy`` absent) a breaking change is published as it is PUT."""

    notice_days: int = Field(
        default=14,
        ge=0,
        le=365,
        description="days after a proposal when it may be published with no open objection",
    )
    require_approval: bool = Field(
        default=False,
        description="every affected team must approve; the notice period alone is not enough",
    )


class ContractField(_Strict):
    """One field (column) of the dataset."""

    name: FieldName
    data_type: DataType
    description: FreeText = None
    nullable: bool = True
    is_pii: bool = False
    is_primary_key: bool = False
    is_foreign_key: bool = False
    foreign_key_reference: str | None = Field(
        default=None, description="'contract_name.field_name' of the referenced field"
    )
    unique: bool = False
    example_value: Any | None = None
    constraints: list[FieldConstraint] = Field(default_factory=list)
    physical_type: PhysicalText | None = Field(
        default=None,
        description="the type as the database or file format writes it, e.g. varchar(18), "
        "smallint, numeric(12,2) or a domain name (data_type is DataPact's family of it)",
    )
    physical_name: PhysicalText | None = Field(
        default=None, description="the column's name in the database when it is not `name`"
    )
    classification: PhysicalText | None = Field(
        default=None, description="data classification, e.g. public, internal, restricted"
    )
    deprecated: FieldDeprecation | None = Field(
        default=None, description="set when the field is on its way out (docs/workflow.md)"
    )
    quality_rules: list[QualityRule] = Field(
        default_factory=list,
        max_length=100,
        description="ODCS quality rules on this field (nullValues, missingValues, "
        "invalidValues, duplicateValues, sql), each with one threshold",
    )

    @field_validator("foreign_key_reference")
    @classmethod
    def _reference_format(cls, value: str | None) -> str | None:
        if value is not None and not re.match(FOREIGN_KEY_PATTERN, value):
            raise ValueError(f"foreign_key_reference {value!r} must be 'contract_name.field_name'")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ContractField:
        if self.is_foreign_key and not self.foreign_key_reference:
            raise ValueError(f"field '{self.name}' is_foreign_key but has no foreign_key_reference")
        if self.foreign_key_reference and not self.is_foreign_key:
            raise ValueError(
                f"field '{self.name}' has a foreign_key_reference; set is_foreign_key: true"
            )
        if self.is_primary_key and self.nullable:
            raise ValueError(f"primary key field '{self.name}' must be nullable: false")
        kinds = Counter(c.type for c in self.constraints if c.type is not ConstraintType.EXPRESSION)
        repeated = sorted(str(kind) for kind, count in kinds.items() if count > 1)
        if repeated:
            raise ValueError(f"field '{self.name}' repeats constraint(s): {', '.join(repeated)}")
        if self.deprecated is not None and self.deprecated.replacement == self.name:
            raise ValueError(f"deprecated field '{self.name}' cannot be its own replacement")
        if self.data_type is DataType.ENUM and ConstraintType.ENUM not in kinds:
            raise ValueError(
                f"field '{self.name}' is an enum: list its labels in an 'enum' constraint"
            )
        for rule in self.quality_rules:
            if rule.metric is not None and rule.metric not in FIELD_METRICS:
                raise ValueError(
                    f"field '{self.name}': {rule.metric} is a table rule: declare it in the "
                    "contract's quality_rules"
                )
            if rule.metric is LibraryMetric.DUPLICATE_VALUES and "properties" in (
                rule.arguments or {}
            ):
                raise ValueError(
                    f"field '{self.name}': duplicateValues over several fields "
                    "(arguments.properties) is a table rule"
                )
        return self

    @property
    def is_unique(self) -> bool:
        return self.unique or self.is_primary_key


_PER_FIELD_METRICS = {"completeness", "uniqueness"}


class QualityMetric(_Strict):
    """A quality SLA. The threshold is parsed at validation time."""

    metric_type: MetricType
    threshold: str
    measurement_method: str | None = None
    alert_on_breach: bool = True
    fields: list[FieldName] | None = Field(
        default=None,
        max_length=1000,
        description="completeness and uniqueness: the fields the SLA applies to (default all)",
    )

    @model_validator(mode="after")
    def _threshold_parses(self) -> QualityMetric:
        self.parsed_threshold()
        if self.fields is not None and self.metric_type not in _PER_FIELD_METRICS:
            raise ValueError(f"a {self.metric_type} SLA cannot name fields")
        if self.fields is not None and len(set(self.fields)) != len(self.fields):
            raise ValueError(f"the {self.metric_type} SLA names a field twice")
        return self

    def parsed_threshold(self) -> Threshold:
        if self.metric_type is MetricType.FRESHNESS:
            return parse_duration(self.threshold)
        if self.metric_type is MetricType.VOLUME:
            return parse_row_range(self.threshold)
        return parse_percentage(self.threshold)

    def applies_to(self, field: str) -> bool:
        return self.fields is None or field in self.fields


class AccessConfig(_Strict):
    """How subscribers reach the dataset; also where the monitor polls."""

    endpoint_url: str = Field(min_length=1, max_length=500)
    methods: list[str] = Field(default_factory=lambda: ["GET"])
    auth_type: AuthType = AuthType.NONE
    required_scopes: list[str] = Field(default_factory=list)
    rate_limit: str | None = None

    @field_validator("endpoint_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises for a port that is not a number in 0-65535
        except ValueError as exc:
            raise ValueError(f"endpoint_url {value!r} is not a valid URL ({exc})") from exc
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"endpoint_url {value!r} must be an http(s) URL with a host")
        return value

    @field_validator("methods")
    @classmethod
    def _known_methods(cls, value: list[str]) -> list[str]:
        allowed = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
        unknown = [m for m in value if m not in allowed]
        if unknown:
            raise ValueError(f"unknown HTTP method(s) {unknown}; use upper case, e.g. GET")
        return value


class Subscriber(_Strict):
    """A team that reads the dataset, and which fields it depends on."""

    team: Team
    use_case: str | None = None
    fields_used: list[str] = Field(
        default_factory=list, description="empty means the subscriber uses every field"
    )
    contact_email: EmailStr | None = None

    @field_validator("fields_used")
    @classmethod
    def _each_field_once(cls, value: list[str]) -> list[str]:
        repeated = sorted(f for f, count in Counter(value).items() if count > 1)
        if repeated:
            raise ValueError(f"fields_used lists {', '.join(repeated)} more than once")
        return value

    def uses_any(self, fields: list[str] | set[str]) -> bool:
        """True when a change to ``fields`` concerns this subscriber."""
        return not self.fields_used or bool(set(self.fields_used) & set(fields))


class Publisher(_Strict):
    team: Team
    owner: Owner
    repository_url: str | None = Field(default=None, max_length=500)
    contact_email: EmailStr | None = None


class OdcsSource(_Strict):
    """The ODCS document a contract was imported from: its identity (the document's ``id``
    and the schema object's ``name``) and, verbatim, everything of it that DataPact does not
    model, so an export writes it back in place (see docs/odcs.md)."""

    id: str = Field(min_length=1, max_length=255, description="the ODCS document's id")
    object: str = Field(
        min_length=1, max_length=255, description="the name of the document's schema object"
    )
    document: dict[str, Any] = Field(
        default_factory=dict, description="the document as written, its `schema` left out"
    )
    schema_object: dict[str, Any] = Field(
        default_factory=dict, description="the schema object as written, `properties` left out"
    )
    properties: list[dict[str, Any]] = Field(
        default_factory=list, description="the schema object's properties as written"
    )
    imported: dict[str, Any] = Field(
        default_factory=dict,
        description="the contract as read from them (what an unchanged part still says)",
    )


class ContractDefinition(_Strict):
    """Complete data contract; the canonical document everywhere."""

    name: ContractName
    version: Annotated[str, StringConstraints(pattern=SEMVER_PATTERN)]
    description: FreeText = None
    status: ContractStatus = ContractStatus.ACTIVE
    table: Annotated[str, StringConstraints(max_length=255, pattern=TABLE_NAME_PATTERN)] | None = (
        None
    )

    publisher: Publisher
    schema_fields: list[ContractField] = Field(alias="schema", min_length=1)
    quality: list[QualityMetric] = Field(default_factory=list)
    quality_rules: list[QualityRule] = Field(
        default_factory=list,
        max_length=100,
        description="ODCS quality rules on the table (rowCount, duplicateValues over "
        "arguments.properties, sql), each with one threshold",
    )
    access: AccessConfig | None = None
    subscribers: list[Subscriber] = Field(default_factory=list)
    change_policy: ChangePolicy | None = Field(
        default=None,
        description="breaking changes are proposed to the affected teams first "
        "(absent: published as they are PUT)",
    )

    tags: list[Tag] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    odcs: OdcsSource | None = Field(
        default=None, description="set when the contract was imported from an ODCS document"
    )

    @model_validator(mode="before")
    @classmethod
    def _storable_numbers(cls, data: Any) -> Any:
        problems = _number_problems(data) if isinstance(data, dict) else []
        if problems:
            raise ValueError("; ".join(problems))
        return data

    @model_validator(mode="after")
    def _cross_checks(self) -> ContractDefinition:
        problems: list[str] = []
        names = [f.name for f in self.schema_fields]
        dupes = sorted(n for n, c in Counter(names).items() if c > 1)
        if dupes:
            problems.append(f"duplicate field name(s): {', '.join(dupes)}")
        metrics = Counter(q.metric_type for q in self.quality)
        repeated = sorted(str(m) for m, c in metrics.items() if c > 1)
        if repeated:
            problems.append(f"quality metric(s) listed more than once: {', '.join(repeated)}")
        teams = Counter(s.team for s in self.subscribers)
        repeated_teams = sorted(t for t, c in teams.items() if c > 1)
        if repeated_teams:
            problems.append(
                f"subscriber team(s) listed more than once: {', '.join(repeated_teams)}"
            )
        known = set(names)
        for contract_field in self.schema_fields:
            for constraint in contract_field.constraints:
                unknown_columns = sorted(constraint.expression_columns - known)
                if unknown_columns:
                    problems.append(
                        f"field '{contract_field.name}': expression {constraint.value!r:.80} "
                        f"reads unknown field(s): {', '.join(unknown_columns)}"
                    )
        keys = {f.name for f in self.schema_fields if f.unique or f.is_primary_key}
        for quality in self.quality:
            named = quality.fields or []
            unknown_named = [f for f in named if f not in known]
            if unknown_named:
                problems.append(
                    f"the {quality.metric_type} SLA names unknown field(s): "
                    f"{', '.join(unknown_named)}"
                )
            elif quality.metric_type is MetricType.UNIQUENESS and set(named) - keys:
                problems.append(
                    "the uniqueness SLA names field(s) that are neither unique nor a primary "
                    f"key: {', '.join(sorted(set(named) - keys))}"
                )
        for contract_field in self.schema_fields:
            replacement = contract_field.deprecated and contract_field.deprecated.replacement
            if replacement and replacement not in known:
                problems.append(
                    f"field '{contract_field.name}': deprecated in favour of unknown field "
                    f"'{replacement}'"
                )
        problems += _table_rule_problems(self.quality_rules, known)
        for sub in self.subscribers:
            unknown = [f for f in sub.fields_used if f not in known]
            if unknown:
                problems.append(
                    f"subscriber '{sub.team}' uses unknown field(s): {', '.join(unknown)}"
                )
        if len(set(self.tags)) != len(self.tags):
            problems.append("tags must be unique")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def odcs_identity(self) -> tuple[str, str]:
        """(ODCS document id, schema object name): what an ODCS import matches a contract by.
        A contract DataPact wrote itself is exported with its name as both."""
        if self.odcs is not None:
            return self.odcs.id, self.odcs.object
        return self.name, self.name

    @property
    def effective_table(self) -> str:
        """The physical table that holds the dataset (defaults to the contract name)."""
        return self.table or self.name

    def field(self, name: str) -> ContractField | None:
        return next((f for f in self.schema_fields if f.name == name), None)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.schema_fields]

    def quality_metric(self, metric: MetricType) -> QualityMetric | None:
        return next((q for q in self.quality if q.metric_type is metric), None)

    def to_document(self, *, exclude_defaults: bool = False) -> dict[str, Any]:
        """The JSON-ready document (``schema`` key for fields)."""
        return self.model_dump(mode="json", by_alias=True, exclude_defaults=exclude_defaults)


def _table_rule_problems(rules: list[QualityRule], known: set[str]) -> list[str]:
    problems: list[str] = []
    for index, rule in enumerate(rules):
        where = f"quality_rules[{index}]"
        if rule.metric is not None and rule.metric not in TABLE_METRICS:
            problems.append(
                f"{where}: {rule.metric} is a field rule: declare it in the field's quality_rules"
            )
        elif rule.metric is LibraryMetric.DUPLICATE_VALUES:
            names = (rule.arguments or {}).get("properties")
            if not names:
                problems.append(
                    f"{where}: duplicateValues on the table needs arguments.properties "
                    "(the fields whose combination must not repeat)"
                )
            elif set(names) - known:
                problems.append(
                    f"{where}: duplicateValues names unknown field(s): "
                    f"{', '.join(sorted(set(names) - known))}"
                )
        elif rule.type is RuleType.SQL and rule.query:
            from sqlglot import exp  # parse_rule_query has imported it

            tree = parse_rule_query(rule.query).tree
            if any(c.name == PROPERTY_PLACEHOLDER for c in tree.find_all(exp.Column)):
                problems.append(f"{where}: ${{property}} means a field: use it on a field's rule")
    return problems


class ContractValidationResult(BaseModel):
    """Result of validating a live service against its contract."""

    contract_name: str
    contract_version: str
    is_valid: bool
    checked_at: datetime
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)
