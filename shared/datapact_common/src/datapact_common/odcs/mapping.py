"""Names shared by export and import: custom property keys and SLA property names."""

from __future__ import annotations

from datapact_common.contract_schema import ConstraintType, DataType, MetricType

# DataPact-only data travels in ODCS customProperties under these names (camel case, as
# the standard asks). A document carrying PUBLISHER was written by DataPact.
DATAPACT_PREFIX = "datapact"
PUBLISHER = "datapactPublisher"
SUBSCRIBERS = "datapactSubscribers"
METADATA = "datapactMetadata"
QUALITY = "datapactQuality"
ACCESS = "datapactAccess"
DATA_TYPE = "datapactDataType"
PII = "datapactPii"
CONSTRAINTS = "datapactConstraints"
# A field's deprecation (since, sunset, replacement: ODCS v3.2 says only `deprecated: true`)
# and the contract's change policy, which ODCS has no terms for (docs/workflow.md).
DEPRECATED = "datapactDeprecated"
CHANGE_POLICY = "datapactChangePolicy"
# Marks a quality rule DataPact generates from the contract (regenerated on every export).
RULE = "datapactRule"

# Quality SLA -> ODCS slaProperties[].property. Freshness is written as "freshness", the
# name datacontract-cli executes; ODCS's own "latency" is read as freshness too.
SLA_PROPERTY: dict[MetricType, str] = {
    MetricType.FRESHNESS: "freshness",
    MetricType.AVAILABILITY: "availability",
    MetricType.COMPLETENESS: "completeness",
    MetricType.UNIQUENESS: "uniqueness",
    MetricType.ACCURACY: "accuracy",
    MetricType.VOLUME: "volume",
}
SLA_METRIC: dict[str, MetricType] = {
    **{prop.lower(): metric for metric, prop in SLA_PROPERTY.items()},
    "latency": MetricType.FRESHNESS,
}

# Constraints that ODCS logicalTypeOptions express, per logicalType.
OPTION_KEYS: dict[str, dict[ConstraintType, str]] = {
    "string": {
        ConstraintType.MIN_LENGTH: "minLength",
        ConstraintType.MAX_LENGTH: "maxLength",
        ConstraintType.REGEX: "pattern",
    },
    "integer": {ConstraintType.MIN: "minimum", ConstraintType.MAX: "maximum"},
    "number": {ConstraintType.MIN: "minimum", ConstraintType.MAX: "maximum"},
}

# ODCS library quality metric that carries an enum constraint.
ENUM_METRIC = "invalidValues"

TIMEZONE_TYPES = {DataType.TIMESTAMP: True, DataType.DATETIME: False}
