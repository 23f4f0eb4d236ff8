"""Findings: inputs that were a 500 (or passed silently) where a 4xx with a reason belongs.

- a regex constraint with 1,000 nested groups: RecursionError, a 500 and ~2,900 log lines;
- a 5,000-digit integer in a contract: a 500;
- NaN / Infinity in a contract: refused only by the API's storage check, not by the model;
- team, owner and subscriber names with zero-width, bidi-override or newline characters;
- a Mermaid `%%{init}%%` directive in a description, carried into the ERD.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest

from datapact_common.documents import parse_contract
from datapact_common.exceptions import ContractValidationError

YAML = {"content-type": "application/yaml"}


def with_regex(document: dict[str, Any], pattern: str) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    doc["schema"][1]["data_type"] = "string"
    doc["schema"][1]["constraints"] = [{"type": "regex", "value": pattern}]
    return doc


async def test_a_regex_with_1000_nested_groups_is_422_without_a_log_flood(
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    sample_contract: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    cases = {
        "(" * 1000 + "a" + ")" * 1000: "longer than 1000 characters",
        "(" * 400 + "a" + ")" * 400: "nests groups deeper than 50 levels",  # was RecursionError
    }
    for pattern, reason in cases.items():
        for path in ("/api/v1/contracts", "/api/v1/contracts/validate"):
            response = await client.post(
                path, json=with_regex(sample_contract, pattern), headers=commerce
            )
            assert response.status_code == (422 if path == "/api/v1/contracts" else 200)
            assert reason in json.dumps(response.json())
    assert "Traceback" not in caplog.text and "RecursionError" not in caplog.text


async def test_a_5000_digit_integer_is_a_4xx(
    client: httpx.AsyncClient, commerce: dict[str, str], sample_contract: dict[str, Any]
) -> None:
    body = json.dumps({**sample_contract, "metadata": {"n": 0}}).replace(
        '"n": 0', '"n": ' + "9" * 5000
    )
    response = await client.post(
        "/api/v1/contracts", content=body, headers={**commerce, "content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "integer longer than 100 characters" in response.json()["detail"]
    yaml_body = f"name: x\nmetadata:\n  n: {'9' * 5000}\n"
    response = await client.post("/api/v1/contracts/validate", content=yaml_body, headers=YAML)
    assert response.status_code == 200
    assert "integer longer than 100 characters" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", str(2**64)])
def test_nan_infinity_and_huge_integers_are_not_a_contracts_numbers(
    sample_contract: dict[str, Any], value: str
) -> None:
    from datapact_common.yaml_io import load_yaml

    number = load_yaml(f"v: {value}")["v"]
    for place in ("metadata", "constraint", "example"):
        doc = copy.deepcopy(sample_contract)
        if place == "metadata":
            doc["metadata"] = {"v": number}
        elif place == "constraint":
            doc["schema"][1]["constraints"] = [{"type": "max", "value": number}]
        else:
            doc["schema"][1]["example_value"] = number
        with pytest.raises(ContractValidationError) as caught:
            parse_contract(doc)
        assert "NaN and Infinity" in caught.value.detail or "64-bit" in caught.value.detail


@pytest.mark.parametrize(
    "name",
    [
        "comm\u200berce",
        "commerce\u202e",
        "comm\nerce",
        "\u2066commerce\u2069",
        "a\u2028b",
        "x\x1b[31m",
    ],
    ids=["zero-width", "bidi-override", "newline", "bidi-isolate", "line-separator", "escape"],
)
async def test_names_with_invisible_or_line_breaking_characters_are_refused(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    sample_contract: dict[str, Any],
    create: Any,
    name: str,
) -> None:
    for place in ("team", "owner"):
        doc = copy.deepcopy(sample_contract)
        doc["publisher"][place] = name
        response = await client.post("/api/v1/contracts", json=doc, headers=admin)
        assert response.status_code == 422, (place, response.text)
        assert "names are shown and compared as written" in response.text
    created = await create(sample_contract)
    joined = await client.post(
        f"/api/v1/contracts/{created['id']}/subscribers", json={"team": name}, headers=admin
    )
    assert joined.status_code == 422
    assert "names are shown and compared as written" in joined.text


@pytest.mark.parametrize(
    "text",
    ["%%{init: {'theme': 'dark'}}%%", "Orders\n%% a comment that ends the diagram", "a %%{x}%% b"],
)
async def test_mermaid_directives_in_descriptions_are_refused(
    client: httpx.AsyncClient, commerce: dict[str, str], sample_contract: dict[str, Any], text: str
) -> None:
    for where in ("contract", "field"):
        doc = copy.deepcopy(sample_contract)
        if where == "contract":
            doc["description"] = text
        else:
            doc["schema"][0]["description"] = text
        response = await client.post("/api/v1/contracts", json=doc, headers=commerce)
        assert response.status_code == 422, (where, response.text)
        assert "Mermaid directive" in response.text
    fine = {**sample_contract, "description": "99.5% complete, 100 % on time"}
    assert (await client.post("/api/v1/contracts", json=fine, headers=commerce)).status_code == 201
