"""Mermaid erDiagram output, checked by the REAL mermaid parser (npm `mermaid` in Node;
the ``parse_mermaid`` fixture of conftest.py)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from dictionary_service.erd import mermaid
from dictionary_service.erd.repository import DatasetRow, FieldRow, RelationshipRow
from dictionary_service.erd.service import Graph


def assert_valid(parse_mermaid: Any, *diagrams: str) -> None:
    """Each parses as an ER diagram and sets no configuration."""
    results = parse_mermaid(list(diagrams))
    for diagram, result in zip(diagrams, results, strict=True):
        assert result == {"ok": True, "diagramType": "er"}, f"{result}\n---\n{diagram}"


def test_the_checker_rejects_what_the_spec_template_emits(parse_mermaid):
    # docs/design.md §10, defect 8: `..>` is not ER syntax. The checker must catch it.
    spec_output = 'erDiagram\n    a {\n        uuid id PK\n    }\n    b ..> a : "subscribes"\n'
    assert parse_mermaid([spec_output])[0]["ok"] is False


async def test_acme_diagrams_parse(client, load, acme_contracts, parse_mermaid):
    await load(*acme_contracts)
    texts = []
    for params in ({}, {"team": "payments"}, {"dataset": "orders", "depth": 2}):
        response = await client.get("/api/v1/erd/mermaid", params=params)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        texts.append(response.text)
    assert_valid(parse_mermaid, *texts)
    whole = texts[0]
    assert '"orders" }o--|| "customers" : "customer_id"' in whole
    assert "..>" not in whole and "subscribes" not in whole
    assert "marketing" not in whole  # subscribing teams are not entities
    entities = set(re.findall(r'^    "(\w+)" \{$', whole, re.MULTILINE))
    assert len(entities) == len(acme_contracts)
    related = re.findall(r'^    "(\w+)" \S+ "(\w+)" : ', whole, re.MULTILINE)
    assert related and all(a in entities and b in entities for a, b in related)


async def test_awkward_names_and_text_parse(client, load, helpers, parse_mermaid):
    c, f = helpers.contract, helpers.field
    await load(
        c("end", [
            f("pk", "uuid", nullable=False, is_primary_key=True,
              description='a "quoted" {brace} [bracket] : colon %% percent <b>tag</b>'),
            f("fk", "uuid", is_foreign_key=True, foreign_key_reference="style.uk"),
            f("uk", "string", unique=True, is_pii=True, description="line one\nline two"),
            f("to", "json", description="é ünï 中文 😀 " + "long " * 40),
        ]),
        c("style", [f("uk", "uuid", nullable=False, is_primary_key=True),
                    f("one", "array"), f("many", "date"), f("class", "timestamp")]),
        c("to", [f("end_id", "uuid", nullable=False, is_primary_key=True),
                 f("self_id", "uuid", is_foreign_key=True, foreign_key_reference="to.end_id",
                   unique=True, nullable=False),
                 f("ghost_id", "uuid", is_foreign_key=True,
                   foreign_key_reference="one.ghost_id")]),
        c("legacy", [f("x", "boolean")], status="deprecated"),
    )  # fmt: skip
    text = (await client.get("/api/v1/erd/mermaid")).text
    assert_valid(parse_mermaid, text)
    assert "uuid pk_ PK" in text and "uuid fk_ FK" in text
    assert '"one"["one (not in registry)"]' in text
    assert '"to" }o--o| "one" : "ghost_id (not in registry)"' in text
    assert '"to" |o--|| "to" : "self_id"' in text
    assert '"end" }o--o| "style" : "fk"' in text
    assert "%% legacy: deprecated" in text


def test_names_no_contract_could_carry_are_still_sanitized(parse_mermaid):
    weird = DatasetRow(
        id=uuid.uuid4(), name="9 lives-and spaces", status="active", version="1.0.0",
        publisher_team="t", description=None,
        fields=[FieldRow("2nd col-name", "double precision", '"', True, False,
                         False, False, False, None)],
    )  # fmt: skip
    graph = Graph(
        datasets=[weird],
        relationships=[
            RelationshipRow("9 lives-and spaces", "2nd col-name", "x-y", "z", True, False)
        ],
        missing=["x-y"],
        subscriptions=[],
    )
    text = mermaid.render(graph)
    assert '"_9_lives_and_spaces" {' in text
    assert "double_precision _2nd_col_name" in text
    assert_valid(parse_mermaid, text, mermaid.render(Graph([], [], [], [])))
