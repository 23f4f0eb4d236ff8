"""Schema check: per table, exact types, nullability, keys, undocumented columns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compliance_monitor.checks import check_schema
from datapact_common.checks import CheckStatus
from datapact_common.contract_schema import ContractDefinition

MakeContract = Callable[..., ContractDefinition]
MakeSchema = Callable[..., dict[str, Any]]


def columns_of(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return list(schema["tables"]["customers"]["columns"])


def test_matching_table_passes(make_contract: MakeContract, make_schema: MakeSchema) -> None:
    result = check_schema(make_contract(), make_schema())
    assert result.status is CheckStatus.PASS, result.summary
    assert result.details["errors"] == []
    assert result.fields == []


def test_missing_table_fails_naming_the_table(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    result = check_schema(make_contract(table="clients"), make_schema())
    assert result.status is CheckStatus.FAIL
    assert "table 'clients' does not exist" in result.summary
    assert result.details["found"]["tables"] == ["customers"]
    assert set(result.fields) == {"id", "email", "name", "score", "updated_at"}


def test_columns_are_matched_per_table_not_flattened(make_contract: MakeContract) -> None:
    # 'email' exists, but in another table: the contract's table still lacks it.
    schema = {
        "tables": {
            "customers": {
                "columns": [
                    {"name": "id", "type": "UUID", "nullable": False},
                    {"name": "name", "type": "TEXT", "nullable": True},
                    {"name": "score", "type": "INTEGER", "nullable": True},
                    {"name": "updated_at", "type": "TIMESTAMP WITH TIME ZONE", "nullable": False},
                ],
                "primary_key": ["id"],
            },
            "newsletter": {"columns": [{"name": "email", "type": "TEXT", "nullable": False}]},
        }
    }
    result = check_schema(make_contract(), schema)
    assert result.status is CheckStatus.FAIL
    assert result.fields == ["email"]
    problem = result.details["fields"]["email"]["problems"][0]
    assert problem["problem"] == "missing_column"
    assert problem["found"] == "no such column"


def test_type_mismatch_names_field_expected_and_found(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    schema = make_schema()
    columns_of(schema)[3]["type"] = "INTERVAL"  # score: integer in the contract
    result = check_schema(make_contract(), schema)
    assert result.status is CheckStatus.FAIL
    assert result.fields == ["score"]
    problem = result.details["fields"]["score"]["problems"][0]
    assert problem["problem"] == "type_mismatch"
    assert problem["found"] == "INTERVAL"
    assert "integer" in problem["expected"] and "bigint" in problem["expected"]


def test_timestamp_without_zone_is_not_a_timestamp(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    schema = make_schema()
    columns_of(schema)[4]["type"] = "TIMESTAMP WITHOUT TIME ZONE"
    result = check_schema(make_contract(), schema)
    assert result.status is CheckStatus.FAIL
    assert result.fields == ["updated_at"]


def test_varchar_of_any_length_is_a_string(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    schema = make_schema()
    columns_of(schema)[1]["type"] = "character varying(40)"
    columns_of(schema)[2]["type"] = "TEXT"
    assert check_schema(make_contract(), schema).status is CheckStatus.PASS


def test_not_null_field_that_is_nullable_fails(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    schema = make_schema()
    columns_of(schema)[1]["nullable"] = True
    result = check_schema(make_contract(), schema)
    assert result.status is CheckStatus.FAIL
    assert result.fields == ["email"]
    problem = result.details["fields"]["email"]["problems"][0]
    assert (problem["expected"], problem["found"]) == ("NOT NULL", "nullable")


def test_nullable_field_that_is_not_null_is_fine(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    schema = make_schema()
    columns_of(schema)[2]["nullable"] = False
    assert check_schema(make_contract(), schema).status is CheckStatus.PASS


def test_primary_key_difference_fails(make_contract: MakeContract, make_schema: MakeSchema) -> None:
    result = check_schema(make_contract(), make_schema(primary_key=["email"]))
    assert result.status is CheckStatus.FAIL
    assert set(result.fields) == {"id", "email"}
    assert "primary key should be (id), found (email)" in result.summary


def test_missing_primary_key_fails(make_contract: MakeContract, make_schema: MakeSchema) -> None:
    result = check_schema(make_contract(), make_schema(primary_key=[]))
    assert result.status is CheckStatus.FAIL
    assert "found no primary key" in result.summary


def test_undocumented_column_is_a_warning(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    schema = make_schema()
    schema["tables"]["customers"]["columns"] = [
        *columns_of(schema),
        {"name": "internal_note", "type": "TEXT", "nullable": True},
    ]
    result = check_schema(make_contract(), schema)
    assert result.status is CheckStatus.WARNING
    assert result.details["fields"]["internal_note"]["status"] == "warning"
    assert "internal_note" in result.details["warnings"][0]


def test_unique_field_without_constraint_is_a_warning(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    result = check_schema(make_contract(), make_schema(unique=[]))
    assert result.status is CheckStatus.WARNING
    assert result.details["fields"]["email"]["problems"][0]["problem"] == "unique_not_enforced"


def test_foreign_keys_are_matched_through_the_referenced_contract(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    schema_fields = [
        {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True},
        {
            "name": "region_id",
            "data_type": "integer",
            "nullable": False,
            "is_foreign_key": True,
            "foreign_key_reference": "regions.id",
        },
    ]
    columns = [
        {"name": "id", "type": "UUID", "nullable": False},
        {"name": "region_id", "type": "INTEGER", "nullable": False},
    ]
    contract = make_contract(schema=schema_fields, quality=[])
    enforced = make_schema(
        columns, unique=[], foreign_keys=[{"columns": ["region_id"], "references": "region.id"}]
    )
    assert check_schema(contract, enforced, {"regions": "region"}).status is CheckStatus.PASS
    missing = check_schema(contract, make_schema(columns, unique=[]), {"regions": "region"})
    assert missing.status is CheckStatus.WARNING
    assert "region.id" in missing.details["warnings"][0]
    # The referenced contract is unknown: nothing to compare, no warning.
    assert check_schema(contract, make_schema(columns, unique=[])).status is CheckStatus.PASS


def test_every_problem_is_reported_at_once(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    schema = make_schema()
    cols = columns_of(schema)
    schema["tables"]["customers"]["columns"] = [
        cols[0],
        {**cols[1], "nullable": True},
        {**cols[3], "type": "POINT"},
        cols[4],
    ]  # 'name' dropped, email nullable, score a point
    result = check_schema(make_contract(), schema)
    assert result.status is CheckStatus.FAIL
    assert result.fields == ["email", "name", "score"]
    assert len(result.details["errors"]) == 3


def test_table_with_schema_prefix_is_found(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    assert check_schema(make_contract(table="public.customers"), make_schema()).status is (
        CheckStatus.PASS
    )


def test_malformed_schema_document_is_an_error(make_contract: MakeContract) -> None:
    result = check_schema(make_contract(), {"tables": ["customers"]})
    assert result.status is CheckStatus.ERROR


def test_record_body_has_what_the_contract_service_expects(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    schema = make_schema()
    columns_of(schema)[3]["type"] = "TEXT"
    body = check_schema(make_contract(), schema).record_body()
    assert body["check_type"] == "schema"
    assert body["status"] == "fail"
    assert body["error_message"].startswith("1 schema problem")
    assert body["details"]["fields"]["score"]["problems"][0]["found"] == "TEXT"


def test_a_column_entry_that_breaks_the_protocol_is_an_error_not_drift(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    """A junk /schema (type null, nullable "no") used to *fail* and send a schema_drift
    alert about drift the database does not have."""
    for bad in (
        {"name": "id", "type": None, "nullable": False},
        {"name": "id", "type": "UUID", "nullable": "no"},
        {"type": "UUID", "nullable": False},
        "id",
    ):
        schema = make_schema()
        schema["tables"]["customers"]["columns"][0] = bad
        result = check_schema(make_contract(), schema)
        assert result.status is CheckStatus.ERROR, (bad, result.summary)
        assert "malformed for table 'customers'" in result.summary
    schema = make_schema(primary_key="id")
    assert check_schema(make_contract(), schema).status is CheckStatus.ERROR


def test_a_domain_or_enum_is_compared_by_the_base_type_the_agent_reports(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    schema = make_schema()
    columns_of(schema)[3].update(type="year", base_type="INTEGER")  # a domain over integer
    assert check_schema(make_contract(), schema).status is CheckStatus.PASS
    columns_of(schema)[3].update(type="mpaa_rating", base_type="enum")
    result = check_schema(make_contract(), schema)
    assert result.status is CheckStatus.FAIL
    problem = result.details["fields"]["score"]["problems"][0]
    assert problem["found"] == "mpaa_rating (base type enum)"


def test_a_data_file_is_not_failed_for_declaring_no_not_null(
    make_contract: MakeContract, make_schema: MakeSchema
) -> None:
    schema = make_schema()
    for column in columns_of(schema):
        column["nullable"] = True  # Parquet/CSV served by the data agent: no constraints
    assert check_schema(make_contract(), schema).status is CheckStatus.FAIL
    schema["tables"]["customers"].update(kind="file", primary_key=[], unique=[])
    result = check_schema(make_contract(), schema)
    assert result.status is CheckStatus.WARNING  # only "unique not enforced"
    problems = {
        p["problem"] for entry in result.details["fields"].values() for p in entry["problems"]
    }
    assert problems == {"unique_not_enforced"}
