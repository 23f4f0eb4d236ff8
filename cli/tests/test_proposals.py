"""`datapact propose` and `datapact proposal ...` against a real contract-service."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

from datapact_testing.tokens import publisher_token

Online = Callable[..., Result]
Write = Callable[..., Path]
Doc = dict[str, Any]


def with_policy(orders_doc: Doc) -> Doc:
    document = copy.deepcopy(orders_doc)
    document["change_policy"] = {"notice_days": 14, "require_approval": True}
    document["subscribers"] = [
        {"team": "finance", "fields_used": ["order_id", "amount"]},
        {"team": "marketing", "fields_used": ["email"]},
    ]
    return document


def without_amount(document: Doc) -> Doc:
    new = copy.deepcopy(document)
    new["schema"] = [f for f in new["schema"] if f["name"] != "amount"]
    new["subscribers"] = [
        {**s, "fields_used": [f for f in s["fields_used"] if f != "amount"]}
        for s in new["subscribers"]
    ]
    new["version"] = "2.0.0"
    return new


def test_propose_answer_show_publish(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    document = with_policy(orders_doc)
    registry.create(document)
    path = str(write("orders.yaml", without_amount(document)))

    proposed = online("propose", path)
    assert proposed.exit_code == 0, proposed.output
    first = proposed.stdout.splitlines()[0]
    assert first.startswith("proposal ") and "(open): orders 1.0.0 -> 2.0.0, by alice" in first
    proposal_id = first.split()[1]
    assert "0 of 1 affected team approved; `finance` pending; not publishable" in proposed.stdout
    assert "field 'amount' removed" in proposed.stdout

    finance = publisher_token("finance", sub="fiona")
    marketing = publisher_token("marketing", sub="mark")
    denied = online("proposal", "approve", proposal_id, "--team", "finance", token=marketing)
    assert denied.exit_code == 4, denied.output
    assert "only team 'finance' answers for itself" in denied.stderr
    objected = online(
        "proposal", "object", proposal_id, "--team", "finance", "--comment", "month end",
        token=finance,
    )  # fmt: skip
    assert objected.exit_code == 0, objected.output
    assert 'finance              objected (fiona): "month end"' in objected.stdout

    refused = online("proposal", "publish", proposal_id)
    assert refused.exit_code == 1
    assert "does not hold yet" in refused.stderr

    approved = online(
        "proposal", "approve", proposal_id, "--team", "finance", "--comment", "ok now",
        token=finance,
    )  # fmt: skip
    assert approved.exit_code == 0
    assert "1 of 1 affected team approved; publishable" in approved.stdout

    shown = online("proposal", "show", proposal_id, "--json", token=None)
    assert shown.exit_code == 0
    body = json.loads(shown.stdout)
    assert [(h["team"], h["answer"]) for h in body["history"]] == [
        ("finance", "objected"),
        ("finance", "approved"),
    ]

    published = online("proposal", "publish", proposal_id)
    assert published.exit_code == 0, published.output
    assert published.stdout == "published orders 2.0.0\n"
    assert registry.document("orders")["version"] == "2.0.0"
    late = online("proposal", "approve", proposal_id, "--team", "finance", token=finance)
    assert late.exit_code == 1 and "is published" in late.stderr


def test_propose_needs_a_registered_contract_and_one_contract(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    missing = online("propose", str(write("orders.yaml", orders_doc)))
    assert missing.exit_code == 3
    assert "not in the registry" in missing.stderr
    other = {**copy.deepcopy(orders_doc), "name": "returns"}
    two = online("propose", str(write("both.yaml", orders_doc, other)))
    assert two.exit_code == 2
    unknown = online("proposal", "show", "00000000-0000-0000-0000-000000000000")
    assert unknown.exit_code == 3
