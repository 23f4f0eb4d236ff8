"""The PR check speaks proposals (docs/workflow.md): a pull request whose contract change
the change policy governs shows the proposal's state, or that one is needed (loopback
GitHub, in-process check)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from datapact_testing.tokens import admin_token, bearer, publisher_token

CONTRACT = "services/orders/contract.yaml"
POLICY = {"notice_days": 14, "require_approval": True}


@pytest.fixture
async def registered(client: httpx.AsyncClient, kit: Any, create: Any) -> dict[str, Any]:
    """orders 1.0.0 with a change policy; finance subscribes through the API."""
    body: dict[str, Any] = await create(kit.orders_contract("1.0.0", change_policy=POLICY))
    response = await client.post(
        f"/api/v1/contracts/{body['id']}/subscribers",
        json={"team": "finance", "fields_used": ["total", "notes"]},
        headers=bearer(admin_token()),
    )
    assert response.status_code == 201, response.text
    return body


def breaking(kit: Any) -> dict[str, Any]:
    return kit.without_field(kit.orders_contract("2.0.0", change_policy=POLICY), "notes")


@pytest.fixture
async def proposal(
    client: httpx.AsyncClient, kit: Any, registered: Any, commerce: dict[str, str]
) -> dict[str, Any]:
    """orders 2.0.0 (``breaking``) proposed through the API by its publisher team, before
    any pull request is checked: affects finance and support."""
    proposed = await client.post(
        f"/api/v1/contracts/{registered['id']}/proposals", json=breaking(kit), headers=commerce
    )
    assert proposed.status_code == 201, proposed.text
    body: dict[str, Any] = proposed.json()
    assert body["affected_teams"] == ["finance", "support"]
    return body


@dataclass
class Shop:
    """acme/shop on the loopback GitHub as a test drives it: ``gh``, the test ``kit``, the
    app's ``webhook`` and the ``queue`` of the deliveries it took."""

    gh: Any
    kit: Any
    webhook: Any
    queue: Any

    async def send(self, repo: Any, action: str, delivery: str, **body: Any) -> httpx.Response:
        """Pull request 12 of ``repo`` delivered as ``action`` (``body``: more of the
        ``kit.pull_request_body``): the app's answer."""
        payload = self.kit.pull_request_body(repo, 12, action=action, **body)
        response: httpx.Response = await self.webhook("pull_request", payload, delivery)
        return response

    async def deliver(self, repo: Any, action: str, delivery: str) -> list[Any]:
        """:meth:`send`, queued, then the queue drained: the deliveries' outcomes."""
        response = await self.send(repo, action, delivery)
        assert (response.status_code, response.json()["status"]) == (202, "queued"), response.text
        return list(await self.queue.drain())


@pytest.fixture
def shop(gh: Any, kit: Any, webhook: Any, queue: Any) -> Shop:
    return Shop(gh, kit, webhook, queue)


async def check(shop: Shop) -> tuple[str, str]:
    _, summary, comment = await checked(shop)
    return summary, comment


async def checked(shop: Shop) -> tuple[Any, str, str]:
    """The check of pull request 12 of acme/shop, breaking ``orders``: the repository,
    the check run's summary and the comment."""
    repo = shop.gh.add_repo("acme", "shop")
    base = repo.commit(
        {CONTRACT: shop.kit.yaml_of(shop.kit.orders_contract("1.0.0", change_policy=POLICY))}
    )
    head = repo.commit({CONTRACT: shop.kit.yaml_of(breaking(shop.kit))}, parent=base)
    repo.open_pull(12, base, head)
    await shop.deliver(repo, "opened", "pr-1")
    run = shop.gh.wait_for_completed_run(head)
    [comment] = shop.gh.comments_on(repo, 12)
    return repo, run["output"]["summary"], comment["body"]


def proposed_events(sql: Any) -> list[dict[str, Any]]:
    rows = sql("SELECT event_type, envelope FROM event_outbox")
    return [e for t, e in rows if t == "breaking_change_proposed"]


def proposals_of(sql: Any) -> list[tuple[str, str, str, str | None]]:
    """(id, status, proposed_by, superseded_by) of every proposal, oldest first."""
    return [
        (str(i), s, b, str(by) if by else None)
        for i, s, b, by in sql(
            "SELECT id, status, proposed_by, superseded_by FROM change_proposals "
            "ORDER BY created_at"
        )
    ]


@dataclass
class Opened:
    """Pull request 12 of acme/shop, checked: the proposal its check opened."""

    repo: Any
    proposal_id: str
    summary: str
    comment: str


@pytest.fixture
async def opened(shop: Shop, registered: Any, sql: Any) -> Opened:
    repo, summary, comment = await checked(shop)
    [(pid, status, by, _)] = proposals_of(sql)
    assert (status, by) == ("open", "github:acme/shop#12")
    return Opened(repo, pid, summary, comment)


async def test_a_breaking_pull_request_opens_one_proposal_once(
    shop: Shop, opened: Opened, sql: Any
) -> None:
    repo, pid, summary, comment = opened.repo, opened.proposal_id, opened.summary, opened.comment
    line = (
        f"- `orders` 1.0.0 → 2.0.0: proposal `{pid}`: 0 of 2 affected teams approved; "
        "`finance`, `support` pending; cannot be published yet: the change policy requires "
        "every affected team's approval"
    )
    assert "#### Change proposals" in summary and line in summary
    assert line in comment
    [told] = proposed_events(sql)
    assert told["payload"]["proposal"]["id"] == pid
    assert told["payload"]["proposal"]["proposed_by"] == "github:acme/shop#12"
    assert told["payload"]["affected_subscribers"] == ["finance", "support"]

    # The same delivery again (a duplicate), and a new delivery of the same head (checked
    # again): nothing new.
    head = repo.pulls[12].head_sha
    duplicate = await shop.send(repo, "synchronize", "pr-1")
    assert duplicate.json()["status"] == "duplicate", duplicate.text
    await shop.deliver(repo, "synchronize", "pr-1-again")
    runs = [r for r in shop.gh.runs_for(head) if r["status"] == "completed"]
    assert len(runs) == 2 and line in runs[-1]["output"]["summary"]
    assert [p[0] for p in proposals_of(sql)] == [pid]
    assert len(proposed_events(sql)) == 1


async def test_a_withdrawn_proposal_is_not_reopened_by_a_new_check(
    shop: Shop,
    opened: Opened,
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    sql: Any,
) -> None:
    pid = opened.proposal_id
    withdrawn = await client.post(f"/api/v1/proposals/{pid}/withdraw", headers=commerce)
    assert withdrawn.status_code == 200, withdrawn.text
    await shop.deliver(opened.repo, "synchronize", "pr-1-again")
    assert [p[:2] for p in proposals_of(sql)] == [(pid, "withdrawn")]
    assert len(proposed_events(sql)) == 1


async def test_a_non_breaking_pull_request_opens_none(
    shop: Shop, registered: Any, sql: Any
) -> None:
    repo = shop.gh.add_repo("acme", "shop")
    before = shop.kit.orders_contract("1.0.0", change_policy=POLICY)
    after = shop.kit.orders_contract("1.1.0", change_policy=POLICY, description="Orders, all")
    base = repo.commit({CONTRACT: shop.kit.yaml_of(before)})
    head = repo.commit({CONTRACT: shop.kit.yaml_of(after)}, parent=base)
    repo.open_pull(12, base, head)
    await shop.deliver(repo, "opened", "pr-1")
    run = shop.gh.wait_for_completed_run(head)
    assert "#### Change proposals" not in run["output"]["summary"]
    assert proposals_of(sql) == [] and proposed_events(sql) == []


async def test_a_push_with_another_breaking_document_supersedes(
    shop: Shop, opened: Opened, sql: Any
) -> None:
    repo, first = opened.repo, opened.proposal_id
    pull = repo.pulls[12]
    again = shop.kit.without_field(breaking(shop.kit), "placed_at")
    head = repo.commit({CONTRACT: shop.kit.yaml_of(again)}, parent=pull.head_sha)
    repo.open_pull(12, pull.base_sha, head)
    await shop.deliver(repo, "synchronize", "pr-2")
    [old, new] = proposals_of(sql)
    assert old == (first, "superseded", "github:acme/shop#12", new[0])
    assert new[1:3] == ("open", "github:acme/shop#12")
    run = shop.gh.wait_for_completed_run(head)
    assert f"proposal `{new[0]}`" in run["output"]["summary"]
    told = proposed_events(sql)
    assert len(told) == 2 and told[1]["payload"]["proposal"]["supersedes"] == first


async def test_the_check_shows_who_approved_and_who_is_pending(
    shop: Shop, client: httpx.AsyncClient, proposal: Any
) -> None:
    approved = await client.post(
        f"/api/v1/proposals/{proposal['id']}/approve",
        json={"team": "support", "comment": "fine"},
        headers=bearer(publisher_token("support")),
    )
    assert approved.status_code == 200, approved.text
    summary, comment = await check(shop)
    line = (
        f"- `orders` 1.0.0 → 2.0.0: proposal `{proposal['id']}`: 1 of 2 affected teams "
        "approved; `finance` pending; cannot be published yet: the change policy requires "
        "every affected team's approval"
    )
    assert line in summary and line in comment


async def merge(shop: Shop, delivery: str, policy: Any = POLICY) -> Any:
    """orders 1.0.0 -> 2.0.0 (``breaking``, under ``policy``) pushed to the default branch of
    acme/shop by octo-merger; the delivery's outcome (the pushed commit: ``outcome.sha``)."""
    repo = shop.gh.add_repo("acme", "shop")
    before = repo.commit(
        {CONTRACT: shop.kit.yaml_of(shop.kit.orders_contract("1.0.0", change_policy=policy))}
    )
    after = shop.kit.without_field(shop.kit.orders_contract("2.0.0", change_policy=policy), "notes")
    sha = repo.commit({CONTRACT: shop.kit.yaml_of(after)}, parent=before)
    payload = shop.kit.push_body(repo, before, sha, modified=[CONTRACT], pusher="octo-merger")
    response = await shop.webhook("push", payload, delivery)
    assert response.status_code == 202, response.text
    [outcome] = await shop.queue.drain()
    outcome.sha = sha
    return outcome


def drifts(sql: Any) -> list[dict[str, Any]]:
    rows = sql("SELECT event_type, envelope FROM event_outbox ORDER BY created_at")
    return [e for t, e in rows if t == "schema_drift"]


async def approve_all(client: httpx.AsyncClient, pid: str) -> None:
    for team in ("finance", "support"):
        answered = await client.post(
            f"/api/v1/proposals/{pid}/approve",
            json={"team": team},
            headers=bearer(publisher_token(team)),
        )
        assert answered.status_code == 200, answered.text


async def test_the_merge_sync_opens_the_proposal_and_names_it(
    shop: Shop,
    registered: Any,
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    sql: Any,
) -> None:
    refused = await merge(shop, "push-1")
    assert refused.status == "rejected"
    [(pid, status, by, _)] = proposals_of(sql)
    assert (status, by) == ("open", f"github:acme/shop@{refused.sha}")
    [told] = proposed_events(sql)  # the affected teams are asked, once
    assert told["payload"]["proposal"]["id"] == pid
    assert told["payload"]["affected_subscribers"] == ["finance", "support"]
    reason = (
        f"the change policy holds orders 1.0.0 -> 2.0.0 back: proposal {pid} (opened by this "
        "push): 0 of 2 affected teams approved; `finance`, `support` pending; the change "
        "policy requires every affected team's approval. Once it holds, publish it with "
        f"`datapact proposal publish {pid}` (POST /api/v1/proposals/{pid}/publish)"
    )
    assert refused.detail["rejected"] == [
        {"contract": "orders", "path": CONTRACT, "reason": reason, "proposal_id": pid}
    ]
    [(error,)] = sql("SELECT error FROM webhook_deliveries")
    assert error == f"orders: {reason}"
    [drift] = drifts(sql)
    assert drift["payload"]["check_type"] == "registry_sync"
    assert drift["payload"]["fields"] == ["notes"]
    assert drift["payload"]["errors"] == [reason]
    details = drift["payload"]["details"]
    assert (details["proposal_id"], details["pending"]) == (pid, ["finance", "support"])

    # GitHub redelivers the push: the same proposal, no second announcement.
    again = await merge(shop, "push-1-again")
    assert again.status == "rejected" and again.detail["rejected"][0]["proposal_id"] == pid
    assert len(proposals_of(sql)) == 1 and len(proposed_events(sql)) == 1

    # The teams approve; the usual publish path publishes the merged document.
    await approve_all(client, pid)
    published = await client.post(f"/api/v1/proposals/{pid}/publish", headers=commerce)
    assert published.status_code == 200, published.text
    assert published.json()["version"] == "2.0.0"
    assert [p[1] for p in proposals_of(sql)] == ["published"]
    assert len(proposed_events(sql)) == 1


async def test_the_merge_sync_reuses_the_pull_requests_proposal(
    shop: Shop, opened: Opened, sql: Any
) -> None:
    refused = await merge(shop, "push-1")
    assert refused.status == "rejected"
    assert proposals_of(sql) == [(opened.proposal_id, "open", "github:acme/shop#12", None)]
    assert len(proposed_events(sql)) == 1  # the PR check's announcement only
    [rejected] = refused.detail["rejected"]
    assert rejected["proposal_id"] == opened.proposal_id
    assert (
        f"proposal {opened.proposal_id} (proposed by github:acme/shop#12): 0 of 2 affected "
        "teams approved; `finance`, `support` pending"
    ) in rejected["reason"]
    [drift] = drifts(sql)
    assert drift["payload"]["details"]["pending"] == ["finance", "support"]


async def test_the_merge_sync_publishes_when_the_policy_holds(
    shop: Shop,
    registered: Any,
    client: httpx.AsyncClient,
    proposal: Any,
    sql: Any,
) -> None:
    await approve_all(client, proposal["id"])
    synced = await merge(shop, "push-1")
    assert synced.status == "processed", synced
    current = (await client.get(f"/api/v1/contracts/{registered['id']}")).json()
    assert current["version"] == "2.0.0"
    final = (await client.get(f"/api/v1/proposals/{proposal['id']}")).json()
    assert (final["status"], final["closed_by"]) == ("published", "octo-merger")
    assert drifts(sql) == [] and len(proposed_events(sql)) == 1


async def test_a_policy_that_holds_at_once_publishes_the_merge(
    shop: Shop, create: Any, client: httpx.AsyncClient, sql: Any
) -> None:
    """A notice of 0 days without required approvals: the proposal the sync opens is
    publishable at once, so the sync publishes the version through it."""
    policy = {"notice_days": 0, "require_approval": False}
    body = await create(shop.kit.orders_contract("1.0.0", change_policy=policy))
    synced = await merge(shop, "push-1", policy=policy)
    assert synced.status == "processed", synced
    assert synced.detail["updated"] == ["orders"]
    current = (await client.get(f"/api/v1/contracts/{body['id']}")).json()
    assert current["version"] == "2.0.0"
    [(_, status, by, _)] = proposals_of(sql)
    assert (status, by) == ("published", f"github:acme/shop@{synced.sha}")
    assert len(proposed_events(sql)) == 1 and drifts(sql) == []


async def test_an_answer_checks_the_pull_request_again_without_a_push(
    shop: Shop,
    registered: Any,
    client: httpx.AsyncClient,
    proposal: Any,
) -> None:
    from contract_service.github.tasks import process, recheck

    pid = proposal["id"]
    summary, _ = await check(shop)
    assert "0 of 2 affected teams approved; `finance`, `support` pending" in summary
    approved = await client.post(
        f"/api/v1/proposals/{pid}/approve",
        json={"team": "finance"},
        headers=bearer(publisher_token("finance")),
    )
    assert approved.status_code == 200, approved.text

    # What the contract-worker does with the task the answer queued after its commit.
    [row_id] = await recheck(uuid.UUID(registered["id"]))
    outcome = await process(uuid.UUID(row_id))
    assert outcome.status == "processed", outcome
    [head] = {r["head_sha"] for r in shop.gh.check_runs.values()}
    runs = [r for r in shop.gh.runs_for(head) if r["status"] == "completed"]
    assert len(runs) == 2  # a new check run, no new push
    assert "1 of 2 affected teams approved; `support` pending" in runs[-1]["output"]["summary"]
    [comment] = shop.gh.comments_on(shop.gh.add_repo("acme", "shop"), 12)
    assert "1 of 2 affected teams approved" in comment["body"]  # the one comment, updated
    assert await recheck(uuid.uuid4()) == []  # a contract no pull request showed


async def test_a_pull_request_closed_unmerged_withdraws_its_proposal(
    shop: Shop,
    opened: Opened,
    client: httpx.AsyncClient,
    registered: Any,
    sql: Any,
) -> None:
    from contract_service.github.tasks import recheck

    head = opened.repo.pulls[12].head_sha
    runs = len(shop.gh.runs_for(head))
    closed = shop.kit.pull_request_body(opened.repo, 12, action="closed")
    assert closed["pull_request"]["merged"] is False  # GitHub's own example, as sent
    [outcome] = await shop.deliver(opened.repo, "closed", "pr-1-closed")
    assert (outcome.status, outcome.detail) == ("processed", {"withdrawn": [opened.proposal_id]})

    assert proposals_of(sql) == [(opened.proposal_id, "withdrawn", "github:acme/shop#12", None)]
    shown = (await client.get(f"/api/v1/proposals/{opened.proposal_id}")).json()
    assert shown["closed_by"] == "github:acme/shop#12"
    assert shown["closed_reason"] == "pull request #12 closed unmerged"
    assert len(shown["history"]) == 0 and shown["document"]["version"] == "2.0.0"
    assert len(proposed_events(sql)) == 1  # the withdrawal tells no team of a new change
    assert len(shop.gh.runs_for(head)) == runs  # no GitHub call for a closed pull request
    # The withdrawal's re-check of the pull requests showing the contract skips this one.
    assert sql("SELECT count(*) FROM proposal_checks") == [(0,)]
    assert await recheck(uuid.UUID(registered["id"])) == []

    # Closed again (GitHub redelivers with a new id): nothing left to withdraw.
    [again] = await shop.deliver(opened.repo, "closed", "pr-1-closed-2")
    assert (again.status, again.detail) == ("processed", {"withdrawn": []})


async def test_a_merged_pull_request_is_left_to_the_merge_sync(
    shop: Shop, opened: Opened, sql: Any
) -> None:
    response = await shop.send(opened.repo, "closed", "pr-1-merged", merged=True)
    assert response.json() == {
        "status": "ignored",
        "event": "pull_request",
        "reason": "pull_request closed by its merge: the merge sync handles it",
    }
    assert shop.queue.ids == []
    assert [p[1] for p in proposals_of(sql)] == ["open"]


async def test_a_reopened_pull_request_proposes_again(shop: Shop, opened: Opened, sql: Any) -> None:
    await shop.deliver(opened.repo, "closed", "pr-1-closed")
    await shop.deliver(opened.repo, "reopened", "pr-1-reopened")
    [old, new] = proposals_of(sql)
    assert old == (opened.proposal_id, "withdrawn", "github:acme/shop#12", None)
    assert new[1:] == ("open", "github:acme/shop#12", None)
    runs = [
        r for r in shop.gh.runs_for(opened.repo.pulls[12].head_sha) if r["status"] == "completed"
    ]
    assert len(runs) == 2 and f"proposal `{new[0]}`" in runs[-1]["output"]["summary"]
    told = proposed_events(sql)  # the pull request is back: its teams are asked again
    assert [t["payload"]["proposal"]["id"] for t in told] == [opened.proposal_id, new[0]]
    # A third check of the reopened pull request opens nothing more.
    await shop.deliver(opened.repo, "synchronize", "pr-1-again")
    assert len(proposals_of(sql)) == 2 and len(proposed_events(sql)) == 2
