"""The pull request check end to end in-process: signed delivery → API → queued task →
analysis against the registry → check run, annotations, comment, events (loopback GitHub)."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from datapact_testing.tokens import admin_token, bearer

MIGRATION = "alembic/versions/b1c2d3e4f5a6_orders_changes.py"
CONTRACT = "services/orders/contract.yaml"


@pytest.fixture
async def registered(client: httpx.AsyncClient, kit: Any, create: Any) -> dict[str, Any]:
    """The orders contract in the registry, plus a subscriber that joined through the API."""
    body: dict[str, Any] = await create(kit.orders_contract("1.0.0"))
    response = await client.post(
        f"/api/v1/contracts/{body['id']}/subscribers",
        json={"team": "finance", "use_case": "month-end close", "fields_used": ["total", "notes"]},
        headers=bearer(admin_token()),
    )
    assert response.status_code == 201, response.text
    return body


def open_pull(gh: Any, kit: Any, head_files: dict[str, Any], *, number: int = 12,
              base_contract: dict[str, Any] | None = None) -> tuple[Any, str, str]:  # fmt: skip
    repo = gh.add_repo("acme", "shop")
    base = repo.commit(
        {
            "README.md": "# shop\n",
            "db/schema.sql": kit.ORDERS_SCHEMA_SQL,
            CONTRACT: kit.yaml_of(base_contract or kit.orders_contract("1.0.0")),
        }
    )
    head = repo.commit(head_files, parent=base)
    repo.open_pull(number, base, head)
    return repo, base, head


async def run_check(webhook: Any, queue: Any, kit: Any, repo: Any, number: int = 12,
                    action: str = "opened", delivery: str = "pr-1") -> list[Any]:  # fmt: skip
    response = await webhook("pull_request", kit.pull_request_body(repo, number, action=action),
                             delivery)  # fmt: skip
    assert response.status_code == 202, response.text
    outcomes: list[Any] = await queue.drain()
    return outcomes


def outbox(sql: Any) -> list[tuple[str, str, dict[str, Any]]]:
    rows = sql("SELECT event_type, contract_name, envelope FROM event_outbox ORDER BY created_at")
    return [(r[0], r[1], r[2]) for r in rows]


async def test_schema_change_without_contract_change_fails_with_annotations_on_the_migration(
    gh: Any, kit: Any, webhook: Any, queue: Any, registered: Any, sql: Any
) -> None:
    upgrade = (
        'op.drop_column("orders", "notes")\n'
        'op.add_column("orders", sa.Column("currency", sa.String(length=3), nullable=False,'
        ' server_default="EUR"))'
    )
    text = kit.migration("b1c2d3e4f5a6", upgrade)
    repo, _, head = open_pull(gh, kit, {MIGRATION: text})
    [outcome] = await run_check(webhook, queue, kit, repo)
    assert outcome.status == "processed"

    run = gh.wait_for_completed_run(head)
    assert run["name"] == kit.CHECK_NAME and run["conclusion"] == "failure"
    assert run["output"]["title"] == "Blocked: 2 contract problems"
    creates = gh.recorded("POST", "/check-runs$")
    assert creates[0].json()["status"] == "in_progress"  # opened at once, before the analysis
    annotations = {(a["start_line"], a["annotation_level"]): a for a in gh.annotations[run["id"]]}
    drop = annotations[(kit.line_of(text, "drop_column"), "failure")]
    assert drop["path"] == MIGRATION
    assert "still lists field `notes`" in drop["message"]
    assert "finance, support" in drop["message"]  # base subscribers and API subscribers
    add = annotations[(kit.line_of(text, '"currency"'), "failure")]
    assert add["title"] == "NOT NULL column orders.currency is missing from the contract"
    summary = run["output"]["summary"]
    assert "| ❌ |" in summary and "`orders`" in summary

    [comment] = gh.comments_on(repo, 12)
    assert comment["body"].startswith("<!-- datapact-contract-check -->")
    assert "failed" in comment["body"] and head[:7] in comment["body"]

    events = outbox(sql)
    assert [(t, n) for t, n, _ in events] == [
        ("pr_blocked", "orders"),
        ("breaking_change_proposed", "orders"),
    ]
    blocked = events[0][2]["payload"]
    assert blocked["pull_request"]["number"] == 12 and blocked["pull_request"]["head_sha"] == head
    assert blocked["contract_id"] == registered["id"]
    proposed = events[1][2]["payload"]
    assert proposed["fields"] == ["notes"]
    assert proposed["affected_subscribers"] == ["finance", "support"]
    assert sql("SELECT status, attempts, error FROM webhook_deliveries") == [("processed", 1, None)]


async def test_matching_contract_change_with_the_right_bump_passes(
    gh: Any, kit: Any, webhook: Any, queue: Any, registered: Any, sql: Any
) -> None:
    upgrade = (
        'op.add_column("orders", sa.Column("currency", sa.CHAR(length=3), nullable=False,'
        ' server_default="EUR"))'
    )
    contract = kit.with_field(
        kit.orders_contract("1.1.0"),
        {"name": "currency", "data_type": "string", "nullable": False, "description": "ISO 4217"},
    )
    repo, _, head = open_pull(
        gh,
        kit,
        {MIGRATION: kit.migration("b1c2d3e4f5a6", upgrade), CONTRACT: kit.yaml_of(contract)},
    )
    await run_check(webhook, queue, kit, repo)
    run = gh.wait_for_completed_run(head)
    assert run["conclusion"] == "success", run["output"]["summary"]
    assert run["output"]["title"] == "Passed: contracts match the schema changes"
    assert "1.0.0 → 1.1.0" in run["output"]["summary"]
    assert gh.annotations[run["id"]] == []
    [comment] = gh.comments_on(repo, 12)
    assert "passed" in comment["body"]
    assert outbox(sql) == []


async def test_breaking_change_with_a_minor_bump_fails_naming_the_subscriber_teams(
    gh: Any, kit: Any, webhook: Any, queue: Any, registered: Any, sql: Any
) -> None:
    contract = kit.without_field(kit.orders_contract("1.1.0"), "notes")
    contract_text = kit.yaml_of(contract)
    repo, _, head = open_pull(
        gh, kit,
        {MIGRATION: kit.migration("b1c2d3e4f5a6", 'op.drop_column("orders", "notes")'),
         CONTRACT: contract_text},
    )  # fmt: skip
    await run_check(webhook, queue, kit, repo)
    run = gh.wait_for_completed_run(head)
    assert run["conclusion"] == "failure"
    failures = [a for a in gh.annotations[run["id"]] if a["annotation_level"] == "failure"]
    bump = next(a for a in failures if a["title"] == "Version bump too small for orders")
    assert bump["path"] == CONTRACT
    assert bump["start_line"] == kit.line_of(contract_text, "version: 1.1.0")
    assert "major version bump required (at least 2.0.0)" in bump["message"]
    assert bump["message"].endswith("affects finance, support")
    breaking = next(a for a in failures if a["title"] == "Breaking change in orders")
    assert breaking["message"] == "field 'notes' removed — affects finance, support"
    assert "field 'notes' removed (support)" in run["output"]["summary"]
    proposed = [e for t, _, e in outbox(sql) if t == "breaking_change_proposed"]
    assert proposed[0]["payload"]["affected_subscribers"] == ["finance", "support"]
    assert proposed[0]["contract_version"] == "1.1.0"


async def test_a_120_file_pull_request_is_read_page_by_page(
    gh: Any, kit: Any, webhook: Any, queue: Any, registered: Any
) -> None:
    files: dict[str, Any] = {f"web/static/img_{i:03}.svg": f"<svg>{i}</svg>\n" for i in range(118)}
    files[MIGRATION] = kit.migration("b1c2d3e4f5a6", 'op.drop_column("orders", "notes")')
    files[CONTRACT] = kit.yaml_of(kit.without_field(kit.orders_contract("2.0.0"), "notes"))
    repo, _, head = open_pull(gh, kit, files)
    await run_check(webhook, queue, kit, repo)
    pages = gh.recorded("GET", "/pulls/12/files")
    assert [r.status for r in pages] == [200, 200]
    assert pages[1].path == f"/repositories/{repo.id}/pulls/12/files"
    run = gh.wait_for_completed_run(head)
    assert run["conclusion"] == "success", run["output"]["summary"]
    # only the two files that matter were read (at base and head)
    read = {r.path.split("/contents/", 1)[1] for r in gh.recorded("GET", "/contents/")}
    assert read == {MIGRATION, CONTRACT}


async def test_more_than_50_annotations_go_out_in_batches_of_50(
    gh: Any, kit: Any, webhook: Any, queue: Any, registered: Any
) -> None:
    upgrade = "\n".join(
        f'op.add_column("orders", sa.Column("extra_{i:03}", sa.Integer(), nullable=True))'
        for i in range(120)
    )
    repo, _, head = open_pull(gh, kit, {MIGRATION: kit.migration("b1c2d3e4f5a6", upgrade)})
    await run_check(webhook, queue, kit, repo)
    run = gh.wait_for_completed_run(head)
    assert run["conclusion"] == "success"  # nullable columns missing from a contract: warnings
    assert len(gh.annotations[run["id"]]) == 120
    patches = [r.json() for r in gh.recorded("PATCH", "/check-runs/")]
    assert [len(p["output"].get("annotations", [])) for p in patches] == [50, 50, 20]
    assert ["conclusion" in p for p in patches] == [False, False, True]
    lines = [a["start_line"] for a in gh.annotations[run["id"]]]
    assert lines == sorted(lines) and len(set(lines)) == 120


async def test_the_comment_is_updated_in_place_on_the_next_push(
    gh: Any, kit: Any, webhook: Any, queue: Any, registered: Any
) -> None:
    migration = kit.migration("b1c2d3e4f5a6", 'op.drop_column("orders", "notes")')
    repo, _, first_head = open_pull(gh, kit, {MIGRATION: migration})
    await run_check(webhook, queue, kit, repo, delivery="pr-open")
    assert gh.wait_for_completed_run(first_head)["conclusion"] == "failure"
    [comment] = gh.comments_on(repo, 12)

    fixed = kit.yaml_of(kit.without_field(kit.orders_contract("2.0.0"), "notes"))
    pull = repo.pulls[12]
    second_head = repo.commit({CONTRACT: fixed}, parent=first_head)
    repo.open_pull(12, pull.base_sha, second_head)
    await run_check(webhook, queue, kit, repo, action="synchronize", delivery="pr-sync")

    assert gh.wait_for_completed_run(second_head)["conclusion"] == "success"
    [updated] = gh.comments_on(repo, 12)
    assert updated["id"] == comment["id"] and updated["_edits"] == 1
    assert "passed" in updated["body"] and second_head[:7] in updated["body"]
    assert len(gh.recorded("POST", "/issues/12/comments")) == 1


async def test_redelivery_runs_the_check_once(
    gh: Any, kit: Any, webhook: Any, queue: Any, registered: Any
) -> None:
    repo, _, head = open_pull(gh, kit, {MIGRATION: kit.migration("b1", "pass")})
    body = kit.pull_request_body(repo, 12)
    assert (await webhook("pull_request", body, "same-id")).status_code == 202
    await queue.drain()
    again = await webhook("pull_request", body, "same-id")
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert await queue.drain() == []
    assert len(gh.runs_for(head)) == 1


async def test_transient_github_errors_retry_and_reuse_the_running_check(
    gh: Any, kit: Any, webhook: Any, queue: Any, registered: Any, sql: Any
) -> None:
    import uuid

    from contract_service.github.tasks import process

    repo, _, head = open_pull(
        gh, kit, {MIGRATION: kit.migration("b1", 'op.drop_column("orders", "notes")')}
    )
    gh.fail_next("GET", "/pulls/12/files", 502, times=20)
    response = await webhook("pull_request", kit.pull_request_body(repo, 12), "flaky")
    assert response.status_code == 202
    row_id = queue.ids[0]
    [outcome] = await queue.drain()
    assert outcome.status == "received" and outcome.retry_in is not None
    assert sql("SELECT status, error FROM webhook_deliveries")[0][0] == "received"
    [running] = gh.runs_for(head)
    assert running["status"] == "in_progress"

    gh.clear_failures()
    retried = await process(uuid.UUID(row_id), retries=1)
    assert retried.status == "processed"
    [run] = gh.runs_for(head)  # the retry finished the same check run
    assert run["id"] == running["id"] and run["conclusion"] == "failure"
    assert sql("SELECT status, attempts FROM webhook_deliveries") == [("processed", 2)]


async def test_a_plain_token_reports_through_a_commit_status(
    gh: Any, kit: Any, webhook: Any, queue: Any, registered: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contract_service.github import tasks
    from contract_service.github.config import GitHubSettings

    token = gh.add_personal_token()
    settings = GitHubSettings(github_app_id=None, github_app_private_key=None, github_token=token)
    monkeypatch.setattr(tasks, "get_github_settings", lambda: settings)
    repo, _, head = open_pull(
        gh, kit, {MIGRATION: kit.migration("b1", 'op.drop_column("orders", "notes")')}
    )
    await run_check(webhook, queue, kit, repo)
    assert gh.runs_for(head) == []  # GitHub refuses check runs to tokens (403)
    states = [(s["state"], s["context"]) for s in gh.statuses if s["sha"] == head]
    assert states == [("pending", kit.CHECK_NAME), ("failure", kit.CHECK_NAME)]
    assert gh.statuses[-1]["description"] == "Blocked: 1 contract problem"
    [comment] = gh.comments_on(repo, 12)
    assert "still lists field `notes`" in comment["body"]


async def test_a_delivery_without_installation_finds_it_through_the_app(
    gh: Any, kit: Any, webhook: Any, queue: Any, registered: Any
) -> None:
    repo, _, head = open_pull(gh, kit, {"README.md": "# shop, now better\n"})
    body = kit.pull_request_body(repo, 12, installation=None)
    assert (await webhook("pull_request", body, "no-inst")).status_code == 202
    await queue.drain()
    assert len(gh.recorded("GET", "/repos/acme/shop/installation")) == 1
    run = gh.wait_for_completed_run(head)
    assert (
        run["conclusion"] == "success" and run["output"]["title"] == "No schema or contract changes"
    )
    assert gh.comments_on(repo, 12) == []  # nothing to say: no comment


async def test_an_invalid_contract_fails_on_its_line(
    gh: Any, kit: Any, webhook: Any, queue: Any, registered: Any, sql: Any
) -> None:
    broken = copy.deepcopy(kit.orders_contract("1.1.0"))
    broken["quality"][0]["threshold"] = "soon-ish"
    text = kit.yaml_of(broken)
    repo, _, head = open_pull(gh, kit, {CONTRACT: text})
    await run_check(webhook, queue, kit, repo)
    run = gh.wait_for_completed_run(head)
    [annotation] = gh.annotations[run["id"]]
    assert annotation["annotation_level"] == "failure" and annotation["path"] == CONTRACT
    assert annotation["start_line"] == kit.line_of(text, "quality:")
    assert "cannot parse duration 'soon-ish'" in annotation["message"]
    assert [t for t, _, _ in outbox(sql)] == ["pr_blocked"]
