"""Quality checks over a ``/metrics`` dataset entry, with thresholds parsed by datapact_common."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from compliance_monitor.checks import (
    check_completeness,
    check_freshness,
    check_uniqueness,
    check_volume,
)
from compliance_monitor.checks.quality_common import dataset_metrics
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.contract_schema import ContractDefinition

MakeContract = Callable[..., ContractDefinition]


def dataset(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "table": "customers",
        "row_count": 5000,
        "freshness": {
            "column": "updated_at",
            "last_update": "2024-05-01T12:00:00+00:00",
            "seconds_since_update": 30.0,
        },
        "completeness": {
            "id": {"non_null": 5000, "ratio": 1.0},
            "email": {"non_null": 5000, "ratio": 1.0},
            "name": {"non_null": 4990, "ratio": 0.998},
            "score": {"non_null": 2500, "ratio": 0.5},
            "updated_at": {"non_null": 5000, "ratio": 1.0},
        },
        "uniqueness": {
            "id": {"distinct": 5000, "duplicates": 0, "ratio": 1.0},
            "email": {"distinct": 5000, "duplicates": 0, "ratio": 1.0},
        },
        "errors": [],
    }
    body.update(overrides)
    return body


# --- freshness -----------------------------------------------------------------------------


def test_fresh_data_passes(make_contract: MakeContract) -> None:
    result = check_freshness(make_contract(), dataset())
    assert result is not None and result.status is CheckStatus.PASS
    assert result.details["threshold_seconds"] == 900


def test_stale_data_breaches_the_sla(make_contract: MakeContract) -> None:
    stale = dataset(
        freshness={"column": "updated_at", "last_update": "x", "seconds_since_update": 7380}
    )
    result = check_freshness(make_contract(), stale)
    assert result is not None and result.status is CheckStatus.FAIL
    assert "2 h 03 min" in result.summary and "15 minutes" in result.summary
    assert result.details["expected"] == "last update within 15 minutes (column 'updated_at')"
    assert result.details["found"] == "last update 2 h 03 min ago"


def test_age_is_computed_from_last_update_when_not_reported(make_contract: MakeContract) -> None:
    now = datetime(2024, 5, 1, 13, 0, tzinfo=UTC)
    entry = dataset(freshness={"column": "updated_at", "last_update": "2024-05-01T12:00:00+00:00"})
    result = check_freshness(make_contract(), entry, now=now)
    assert result is not None and result.status is CheckStatus.FAIL
    assert result.details["seconds_since_update"] == timedelta(hours=1).total_seconds()


def test_the_sla_names_the_column_and_other_units_parse(make_contract: MakeContract) -> None:
    contract = make_contract(
        quality=[{"metric_type": "freshness", "threshold": "2 days", "measurement_method": "name"}]
    )
    result = check_freshness(contract, dataset())
    assert result is not None and result.status is CheckStatus.PASS
    assert result.details["threshold_seconds"] == 172800


def test_empty_table_has_no_fresh_data(make_contract: MakeContract) -> None:
    empty = dataset(row_count=0, freshness={"column": "updated_at", "last_update": None})
    result = check_freshness(make_contract(), empty)
    assert result is not None and result.status is CheckStatus.FAIL
    assert "empty" in result.summary


def test_unmeasurable_freshness_is_an_error(make_contract: MakeContract) -> None:
    missing = dataset(
        freshness={"column": "updated_at", "last_update": None, "seconds_since_update": None},
        errors=["column 'updated_at' does not exist"],
    )
    result = check_freshness(make_contract(), missing)
    assert result is not None and result.status is CheckStatus.ERROR
    assert "does not exist" in result.summary


def test_no_freshness_sla_no_freshness_check(make_contract: MakeContract) -> None:
    assert check_freshness(make_contract(quality=[]), dataset()) is None


# --- completeness ----------------------------------------------------------------------------


def test_not_null_fields_must_be_complete(make_contract: MakeContract) -> None:
    result = check_completeness(make_contract(), dataset())
    assert result is not None and result.status is CheckStatus.PASS
    # Nullable fields are not judged without a completeness SLA.
    assert set(result.details["fields"]) == {"id", "email", "updated_at"}

    holes = dataset()
    holes["completeness"]["email"] = {"non_null": 4999, "ratio": 0.9998}
    result = check_completeness(make_contract(), holes)
    assert result is not None and result.status is CheckStatus.FAIL
    assert result.fields == ["email"]
    entry = result.details["fields"]["email"]
    assert entry["expected"] == "100% non-null (NOT NULL field)"
    assert entry["found"] == "99.98% (4999 of 5000 rows non-null)"
    assert "1 null value(s)" in entry["message"]


def test_a_not_null_field_is_judged_on_counts_not_a_rounded_ratio(
    make_contract: MakeContract,
) -> None:
    rounded = dataset(row_count=10_000_000)
    rounded["completeness"]["email"] = {"non_null": 9_999_999, "ratio": 1.0}
    result = check_completeness(make_contract(), rounded)
    assert result is not None and result.status is CheckStatus.FAIL


def test_completeness_sla_applies_to_each_field(make_contract: MakeContract) -> None:
    contract = make_contract(quality=[{"metric_type": "completeness", "threshold": "99.5%"}])
    result = check_completeness(contract, dataset())
    assert result is not None and result.status is CheckStatus.FAIL
    # name is 99.8% (meets 99.5%), score is 50% (does not).
    assert result.fields == ["score"]
    assert result.details["fields"]["name"]["status"] == "pass"
    assert (
        result.details["fields"]["score"]["expected"]
        == "at least 99.50% non-null (completeness SLA)"
    )
    assert result.details["threshold"] == "99.5%"


def test_ratio_equal_to_the_sla_passes(make_contract: MakeContract) -> None:
    contract = make_contract(quality=[{"metric_type": "completeness", "threshold": "99.8%"}])
    entry = dataset()
    entry["completeness"]["score"] = {"non_null": 4990, "ratio": 0.998}
    result = check_completeness(contract, entry)
    assert result is not None and result.status is CheckStatus.PASS


def test_unmeasured_field_is_an_error_not_a_pass(make_contract: MakeContract) -> None:
    entry = dataset()
    entry["completeness"]["email"] = None
    result = check_completeness(make_contract(), entry)
    assert result is not None and result.status is CheckStatus.ERROR
    assert "'email'" in result.summary


def test_all_nullable_and_no_sla_means_no_completeness_check(make_contract: MakeContract) -> None:
    contract = make_contract(schema=[{"name": "note", "data_type": "string"}], quality=[])
    assert check_completeness(contract, dataset()) is None


# --- uniqueness ------------------------------------------------------------------------------


def test_unique_fields_without_duplicates_pass(make_contract: MakeContract) -> None:
    result = check_uniqueness(make_contract(), dataset())
    assert result is not None and result.status is CheckStatus.PASS
    assert set(result.details["fields"]) == {"id", "email"}


def test_duplicates_breach_uniqueness(make_contract: MakeContract) -> None:
    entry = dataset()
    entry["uniqueness"]["email"] = {"distinct": 4990, "duplicates": 10, "ratio": 0.998}
    result = check_uniqueness(make_contract(), entry)
    assert result is not None and result.status is CheckStatus.FAIL
    assert result.fields == ["email"]
    assert result.details["fields"]["email"]["found"] == "10 duplicate value(s), 99.80% distinct"
    assert "unique field 'email'" in result.summary


def test_unmeasured_unique_field_is_an_error(make_contract: MakeContract) -> None:
    entry = dataset()
    del entry["uniqueness"]["id"]
    result = check_uniqueness(make_contract(), entry)
    assert result is not None and result.status is CheckStatus.ERROR


def test_no_unique_fields_no_uniqueness_check(make_contract: MakeContract) -> None:
    contract = make_contract(schema=[{"name": "note", "data_type": "string"}], quality=[])
    assert check_uniqueness(contract, dataset()) is None


@pytest.mark.parametrize("metrics", [{}, {"datasets": []}, {"datasets": {"orders": {}}}])
def test_dataset_lookup_by_contract_name(make_contract: MakeContract, metrics: Any) -> None:
    assert dataset_metrics(metrics, make_contract()) is None
    assert dataset_metrics({"datasets": {"customers": {"row_count": 1}}}, make_contract()) == {
        "row_count": 1
    }


def test_a_composite_primary_key_is_judged_as_a_whole(make_contract: MakeContract) -> None:
    contract = make_contract(
        schema=[
            {
                "name": "playlist_id",
                "data_type": "integer",
                "nullable": False,
                "is_primary_key": True,
            },
            {"name": "track_id", "data_type": "integer", "nullable": False, "is_primary_key": True},
        ],
        quality=[],
    )
    # Its columns repeat by design; the service reports the key (in its own column order).
    entry = dataset(
        uniqueness={"(track_id, playlist_id)": {"distinct": 8715, "duplicates": 0, "ratio": 1.0}}
    )
    result = check_uniqueness(contract, entry)
    assert result is not None and result.status is CheckStatus.PASS
    assert list(result.details["fields"]) == ["(playlist_id, track_id)"]

    doubled = dataset(
        uniqueness={"(playlist_id, track_id)": {"distinct": 8713, "duplicates": 2, "ratio": 0.99}}
    )
    result = check_uniqueness(contract, doubled)
    assert result is not None and result.status is CheckStatus.FAIL
    assert result.fields == ["playlist_id", "track_id"]
    assert "primary key '(playlist_id, track_id)' has 2 duplicate value(s)" in result.summary

    unmeasured = check_uniqueness(contract, dataset(uniqueness={"playlist_id": {"duplicates": 9}}))
    assert unmeasured is not None and unmeasured.status is CheckStatus.ERROR


def test_non_finite_or_absurd_numbers_are_not_measurements(make_contract: MakeContract) -> None:
    """1e999 parses to inf: int(inf) raised OverflowError and crashed the sweep."""
    contract = make_contract(quality=[{"metric_type": "freshness", "threshold": "15 minutes"}])
    huge = dataset(
        freshness={"column": "updated_at", "last_update": None, "seconds_since_update": 1e999},
        uniqueness={"id": {"duplicates": float("inf"), "ratio": float("nan")}},
        completeness={"id": {"non_null": 10**400, "ratio": float("inf")}},
    )
    assert check_freshness(contract, huge).status is CheckStatus.ERROR  # type: ignore[union-attr]
    assert check_uniqueness(contract, huge).status is CheckStatus.ERROR  # type: ignore[union-attr]
    completeness = check_completeness(contract, huge)
    assert completeness is not None and completeness.status is CheckStatus.ERROR


# --- named-field SLAs and volume -----------------------------------------------------------


def test_a_completeness_sla_naming_fields_leaves_the_others_optional(
    make_contract: MakeContract,
) -> None:
    sla = {"metric_type": "completeness", "threshold": "99.5%", "fields": ["name"]}
    result = check_completeness(make_contract(quality=[sla]), dataset())
    # score (50% filled) is legitimately optional: not judged; name (99.8%) meets the SLA
    assert result is not None and result.status is CheckStatus.PASS
    assert "score" not in result.details["fields"]
    assert result.details["expected"].endswith("; name at least 99.5% filled")


def test_a_uniqueness_sla_naming_fields_judges_only_their_ratio(
    make_contract: MakeContract,
) -> None:
    entry = dataset()
    entry["uniqueness"]["id"] = {"distinct": 4000, "duplicates": 0, "ratio": 0.8}
    sla = {"metric_type": "uniqueness", "threshold": "99%", "fields": ["email"]}
    result = check_uniqueness(make_contract(quality=[sla]), entry)
    assert result is not None and result.status is CheckStatus.PASS
    named_id = {**sla, "fields": ["id"]}
    result = check_uniqueness(make_contract(quality=[named_id]), entry)
    assert result is not None and result.status is CheckStatus.FAIL and result.fields == ["id"]


@pytest.mark.parametrize(
    ("threshold", "status", "summary"),
    [
        ("1000..10000", CheckStatus.PASS, "5000 rows"),
        ("6000..", CheckStatus.FAIL, "5000 rows, below the minimum 6000 (volume SLA 6000.. rows)"),
        ("..4999", CheckStatus.FAIL, "5000 rows, above the maximum 4999 (volume SLA ..4999 rows)"),
    ],
)
def test_volume_is_the_row_count_within_the_range(
    make_contract: MakeContract, threshold: str, status: CheckStatus, summary: str
) -> None:
    contract = make_contract(quality=[{"metric_type": "volume", "threshold": threshold}])
    result = check_volume(contract, dataset())
    assert result is not None and (result.status, result.summary) == (status, summary)
    assert result.check_type is CheckType.VOLUME


def test_volume_without_a_row_count_is_an_error(make_contract: MakeContract) -> None:
    contract = make_contract(quality=[{"metric_type": "volume", "threshold": "1.."}])
    assert check_volume(make_contract(), dataset()) is None
    for bad in (None, -1, 1.5, "5000"):
        result = check_volume(contract, dataset(row_count=bad))
        assert result is not None and result.status is CheckStatus.ERROR
