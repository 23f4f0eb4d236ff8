"""Finding: a Mermaid ``%%{init}%%`` directive in a description passed into the ERD, where
Mermaid applies it (theme, security level) wherever it stands, quotes or not. Text from
contracts now reaches the diagram inert; the real parser shows it sets nothing."""

from __future__ import annotations

from typing import Any

import pytest

from dictionary_service.erd import mermaid

DIRECTIVE = '%%{init: {"theme": "dark", "securityLevel": "loose"}}%%'
HOSTILE = [
    DIRECTIVE,
    f"harmless\n{DIRECTIVE}\n%% a comment line",
    '" }\n    "evil" {\n        string x\n    }\n%%{init: {"theme": "forest"}}%%',
    "#37;#37;{init: {'theme': 'dark'}}#37;#37;",
    "<img src=x onerror=alert(1)> #quot; #lt;script#gt;",
]


def test_the_checker_reports_a_directive(parse_mermaid: Any) -> None:
    # Without this, "no config in the result" would prove nothing.
    [result] = parse_mermaid([f'{DIRECTIVE}\nerDiagram\n    "a" {{\n        string x\n    }}\n'])
    assert result["ok"] is True and result["config"]["theme"] == "dark"


@pytest.mark.parametrize("text", HOSTILE)
def test_contract_text_is_inert(text: str) -> None:
    rendered = mermaid.comment(text)
    assert "%" not in rendered and "<" not in rendered and "\n" not in rendered
    assert rendered.count('"') == 2 and rendered.startswith('"') and rendered.endswith('"')
    assert "#37;" not in rendered and "#quot;" not in rendered


def test_the_sync_refuses_a_directive(registry: Any, helpers: Any) -> None:
    # The registry refuses these texts on write; a document carrying one anyway (written before
    # the rule) is reported unusable instead of reaching the diagram.
    from dictionary_service.sync.documents import UnusableDocumentError, snapshot_from_document

    c, f = helpers.contract, helpers.field
    for text in HOSTILE[:3]:
        document = registry.document(c("orders", [f("note", "string", description=text)]))
        with pytest.raises(UnusableDocumentError, match="Mermaid directive"):
            snapshot_from_document(document)


async def test_text_the_registry_accepts_sets_nothing_in_the_erd(
    client: Any, load: Any, helpers: Any, parse_mermaid: Any
) -> None:
    c, f = helpers.contract, helpers.field
    await load(
        c("orders", [
            f("order_id", "uuid", nullable=False, is_primary_key=True,
              description="init: {theme: dark} }%% quoted \" }\n    \"evil\" {"),
            f("customer_id", "uuid", is_foreign_key=True,
              foreign_key_reference="customers.customer_id", description="50% off %{x}%"),
            f("code", "string", description=HOSTILE[3]),
            f("html", "string", is_pii=True, description=HOSTILE[4]),
        ]),
        c("customers", [f("customer_id", "uuid", nullable=False, is_primary_key=True)]),
    )  # fmt: skip
    response = await client.get("/api/v1/erd/mermaid")
    assert response.status_code == 200, response.text
    text = response.text
    [result] = parse_mermaid([text])
    assert result == {"ok": True, "diagramType": "er"}, f"{result}\n{text}"
    assert "%%" not in text
    assert '"evil" {' not in text  # no entity smuggled out of a comment
    assert "init" in text  # the words are still there to read, just inert
