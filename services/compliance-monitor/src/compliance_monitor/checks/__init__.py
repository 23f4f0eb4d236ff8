"""Pure compliance checks: a contract plus the JSON a data service served, in; a result, out.

Nothing here does I/O, so every rule is unit-testable with plain dictionaries.
"""

from compliance_monitor.checks.availability_checker import check_availability
from compliance_monitor.checks.base import CheckResult
from compliance_monitor.checks.completeness_checker import check_completeness
from compliance_monitor.checks.freshness_checker import check_freshness
from compliance_monitor.checks.rules_checker import check_rules, protocol_of
from compliance_monitor.checks.schema_validator import check_schema
from compliance_monitor.checks.uniqueness_checker import check_uniqueness
from compliance_monitor.checks.volume_checker import check_volume

__all__ = [
    "CheckResult",
    "check_availability",
    "check_completeness",
    "check_freshness",
    "check_rules",
    "check_schema",
    "check_uniqueness",
    "check_volume",
    "protocol_of",
]
