"""A merged contract written into the person's own text: comments and style kept."""

from __future__ import annotations

import copy
from typing import Any

from datapact_common.drafting.merge import merge_draft
from datapact_common.drafting.text_merge import merge_into_text
from datapact_common.yaml_io import load_yaml

EDITED = """\
# Drafted by `datapact init` from postgresql://db/shop (table person).
# ann: keep the regex in sync with the web form
name: person
version: 1.2.0
publisher: {team: crm, owner: ann}   # who answers
schema:
# the key
- name: id
  data_type: integer
  nullable: false   # never null
  is_primary_key: true
- name: email
  data_type: string
  # people write regexes here
  constraints:
  - type: regex
    value: ^[^@]+@[^@]+$
- name: born
  data_type: date
  description: |
    Birthday,
    as the customer told us
metadata: {}
quality:
  - metric_type: completeness   # the SLA
    threshold: 99%
"""


def _merged(text: str, change: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    old = load_yaml(text)
    new = copy.deepcopy(old)
    change(new)
    return old, new


def test_the_merge_of_a_changed_database_keeps_every_comment() -> None:
    old = load_yaml(EDITED)
    draft = {
        "name": "person",
        "schema": [
            {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
            {"name": "email", "data_type": "string", "nullable": False,
             "constraints": [{"type": "max_length", "value": 320}]},
            {"name": "tier", "data_type": "string", "description": "Loyalty tier"},
        ],
        "metadata": {"review": ["tier: is it PII?"]},
    }  # fmt: skip
    merged = merge_draft(old, draft)
    text = merge_into_text(EDITED, old, merged.document)
    assert text is not None
    assert load_yaml(text) == merged.document
    kept = [line for line in EDITED.splitlines() if line.lstrip().startswith("#") or "#" in line]
    for line in kept:
        assert line in text.splitlines(), line
    assert text.startswith(
        EDITED.split("metadata:")[0].split("- name: born")[0].split("  - type")[0]
    )
    assert "  nullable: false\n  constraints:" not in text  # added after the person's keys
    assert text.endswith("    threshold: 99%\n")


def test_scalars_flow_values_and_removed_keys_are_edited_in_place() -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["version"] = "2.0.0"
        doc["publisher"]["owner"] = "bob"
        del doc["schema"][0]["is_primary_key"]
        doc["schema"][2]["description"] = "Birthday"

    old, new = _merged(EDITED, change)
    text = merge_into_text(EDITED, old, new)
    assert text is not None and load_yaml(text) == new
    assert "version: 2.0.0\n" in text
    assert "publisher: {team: crm, owner: bob}   # who answers\n" in text
    assert "is_primary_key" not in text
    assert "  nullable: false   # never null\n- name: email\n" in text
    assert "  description: Birthday\nmetadata: {}\n" in text


def test_an_empty_flow_mapping_becomes_a_block() -> None:
    old, new = _merged(EDITED, lambda d: d.__setitem__("metadata", {"review": ["a: b"]}))
    text = merge_into_text(EDITED, old, new)
    assert text is not None and load_yaml(text) == new
    assert "metadata:\n  review:\n" in text


def test_a_file_without_a_final_line_break() -> None:
    source = "name: t\nschema:\n- name: a\n  data_type: string"
    old, new = _merged(source, lambda d: d["schema"].append({"name": "b", "data_type": "date"}))
    text = merge_into_text(source, old, new)
    assert text is not None and load_yaml(text) == new
    assert text.startswith(source + "\n- name: b\n")


def test_what_cannot_be_placed_gives_none() -> None:
    """A key removed from a `- ` line would take the list marker with it."""
    source = "name: t\nschema:\n- data_type: string\n  name: a\n"
    old, new = _merged(source, lambda d: d["schema"][0].pop("data_type"))
    assert merge_into_text(source, old, new) is None
    assert merge_into_text("[not, a, mapping]\n", {}, {"a": 1}) is None
    assert merge_into_text("a: [\n", {}, {"a": 1}) is None


def test_new_left_out_lines_join_the_comment_block_at_the_top() -> None:
    from datapact_common.drafting.render import with_left_out

    text = "# Drafted by `datapact init` from x (table t).\n# mine\nname: t\n"
    once = with_left_out(text, ["UNIQUE (a, b): a contract declares single fields"])
    assert once == (
        "# Drafted by `datapact init` from x (table t).\n# mine\n"
        "# Left out (the contract does not say it):\n"
        "#   - UNIQUE (a, b): a contract declares single fields\nname: t\n"
    )
    assert with_left_out(once, ["UNIQUE (a, b): a contract declares single fields"]) == once
    twice = with_left_out(once, ["c: enum type mood (no physical_type)"])
    assert twice.count("# Left out") == 1
    assert twice.endswith("#   - c: enum type mood (no physical_type)\nname: t\n")
