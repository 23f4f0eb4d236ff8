"""Query-parameter constraints shared by the routers."""

from __future__ import annotations

from datapact_common.contract_schema import CONTRACT_NAME_PATTERN

# PostgreSQL text cannot hold NUL; refuse it with a 422 instead of failing in the driver.
NO_NUL = r"^[^\x00]*$"
DATASET_NAME = CONTRACT_NAME_PATTERN
