"""`datapact push` against a real contract-service: create, update, refuse, keep subscribers."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

from datapact_common.documents import parse_contract
from datapact_testing.tokens import publisher_token

Online = Callable[..., Result]
Write = Callable[..., Path]
Doc = dict[str, Any]


def test_push_creates_then_reports_unchanged(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    path = str(write("orders.yaml", orders_doc))
    created = online("push", path)
    assert created.exit_code == 0, created.output
    assert created.stdout.startswith("created orders 1.0.0 (id ")
    stored = registry.document("orders")
    assert parse_contract(stored) == parse_contract(orders_doc)
    again = online("push", path)
    assert again.exit_code == 0
    assert again.stdout == "unchanged orders 1.0.0\n"


def test_push_updates_with_a_big_enough_bump(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    registry.create(orders_doc)
    new = copy.deepcopy(orders_doc)
    new["schema"].append({"name": "coupon", "data_type": "string"})
    new["version"] = "1.1.0"
    result = online("push", str(write("orders.yaml", new)))
    assert result.exit_code == 0, result.output
    assert "updated orders 1.0.0 -> 1.1.0:" in result.stdout
    assert "info     schema.coupon: field 'coupon' added (string)" in result.stdout
    assert registry.document("orders")["version"] == "1.1.0"


def test_too_small_bump_is_refused_with_the_change_list(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    created = registry.create(orders_doc)
    registry.subscribe(created["id"], {"team": "marketing", "fields_used": ["email", "amount"]})
    new = copy.deepcopy(orders_doc)
    new["schema"][2]["data_type"] = "float"
    new["version"] = "1.0.1"
    result = online("push", str(write("orders.yaml", new)))
    assert result.exit_code == 1
    err = result.stderr
    assert "error: orders: major version bump required (at least 2.0.0), got patch" in err
    assert "changes:" in err
    assert (
        "breaking schema.amount.data_type: field 'amount' type changed from decimal to float" in err
    )
    assert "[affects: marketing]" in err
    assert "version 1.0.0 -> 1.0.1: required bump major, actual patch" in err
    assert registry.document("orders")["version"] == "1.0.0"


def test_dry_run_writes_nothing(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    path = str(write("orders.yaml", orders_doc))
    would_create = online("push", path, "--dry-run")
    assert (would_create.exit_code, would_create.stdout) == (0, "would create orders 1.0.0\n")
    assert registry.get("orders").status_code == 404
    registry.create(orders_doc)
    refused = online(
        "push", str(write("new.yaml", {**orders_doc, "description": "x"})), "--dry-run"
    )
    assert refused.exit_code == 1
    assert "would update orders 1.0.0 -> 1.0.0:" in refused.stdout
    assert "REFUSED: patch version bump required" in refused.stdout
    assert registry.document("orders")["description"] == orders_doc["description"]


def test_registered_subscribers_are_kept(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    created = registry.create(orders_doc)
    registry.subscribe(created["id"], {"team": "finance", "fields_used": ["amount"]})
    new = {**orders_doc, "version": "1.0.1", "description": "All orders"}
    result = online("push", str(write("orders.yaml", new)))
    assert result.exit_code == 0, result.output
    stored = registry.document("orders")
    assert stored["version"] == "1.0.1"
    assert [s["team"] for s in stored["subscribers"]] == ["finance"]


def test_removing_a_field_a_subscriber_uses_says_why(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    created = registry.create(orders_doc)
    registry.subscribe(created["id"], {"team": "finance", "fields_used": ["amount"]})
    new = copy.deepcopy(orders_doc)
    new["schema"] = [f for f in new["schema"] if f["name"] != "amount"]
    new["version"] = "2.0.0"
    result = online("push", str(write("orders.yaml", new)))
    assert result.exit_code == 1
    assert "the registered subscribers do not fit the new document" in result.stderr
    assert "subscriber 'finance' uses unknown field(s): amount" in result.stderr


def test_a_stream_pushes_every_contract_and_reports_the_worst(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    registry.create(orders_doc)
    returns = {**orders_doc, "name": "returns"}
    lowered = {**orders_doc, "version": "0.9.0"}
    result = online("push", str(write("all.yaml", lowered, returns)))
    assert result.exit_code == 1
    assert "version 0.9.0 is lower than the current version 1.0.0" in result.stderr
    assert "created returns 1.0.0" in result.stdout
    assert registry.document("returns")["version"] == "1.0.0"


def test_a_token_from_token_create_is_accepted(
    cli: Callable[..., Result], write: Write, orders_doc: Doc, registry: Any
) -> None:
    minted = cli(
        "token", "create", "--sub", "ci", "--team", "checkout", "--scope", "contracts:write"
    )
    token = minted.stdout.strip()
    result = cli(
        "--url", registry.url, "--token", token, "push", str(write("orders.yaml", orders_doc))
    )
    assert result.exit_code == 0, result.output
    assert registry.document("orders")["publisher"]["team"] == "checkout"


def test_without_a_token_writes_are_refused(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    result = online("push", str(write("orders.yaml", orders_doc)), token=None)
    assert result.exit_code == 4
    assert "authentication required" in result.stderr
    assert "pass --token or set DATAPACT_TOKEN" in result.stderr
    assert registry.get("orders").status_code == 404


def test_another_teams_token_is_refused(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    result = online("push", str(write("orders.yaml", orders_doc)), token=publisher_token("finance"))
    assert result.exit_code == 4
    assert "checkout" in result.stderr


def test_a_token_signed_with_another_secret_is_refused(
    online: Online, write: Write, orders_doc: Doc
) -> None:
    forged = publisher_token("checkout", secret="not-the-platform-secret-000000000000")
    result = online("push", str(write("orders.yaml", orders_doc)), token=forged)
    assert result.exit_code == 4
    assert "invalid token" in result.stderr


def test_an_invalid_file_is_refused_before_any_call(
    online: Online, write: Write, orders_doc: Doc
) -> None:
    result = online("push", str(write("bad.yaml", {**orders_doc, "name": "Orders"})))
    assert result.exit_code == 1
    assert "  name: String should match pattern" in result.stderr


def test_a_push_based_on_an_old_version_is_refused_with_what_to_do(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    created = registry.create(orders_doc)
    registry.subscribe(created["id"], {"team": "finance", "fields_used": ["amount"]})
    moved = online("push", str(write("a.yaml", {**orders_doc, "version": "1.0.1"})))
    assert moved.exit_code == 0, moved.output
    mine = {**orders_doc, "version": "1.0.2", "description": "edited from 1.0.0"}
    result = online("push", str(write("b.yaml", mine)), "--if-match", "1.0.0")
    assert result.exit_code == 1
    assert "is at version 1.0.1, not 1.0.0" in result.stderr
    assert "Pull it again" in result.stderr
    assert registry.document("orders")["version"] == "1.0.1"
    listed = {**mine, "subscribers": [{"team": "marketing"}]}
    pushed = online("push", str(write("c.yaml", listed)), "--if-match", "1.0.1")
    assert pushed.exit_code == 0, pushed.output
    assert "the file's subscribers are not applied" in pushed.stderr
    assert [s["team"] for s in registry.document("orders")["subscribers"]] == ["finance"]
