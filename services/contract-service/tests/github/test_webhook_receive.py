"""``POST /api/v1/webhooks/github``: signatures, headers, bodies, idempotent storage, queueing."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from contract_service.github.config import GitHubSettings, get_github_settings
from contract_service.github.signature import sign, signature_valid

URL = "/api/v1/webhooks/github"


def test_githubs_own_signature_test_vector() -> None:
    expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert sign(b"It's a Secret to Everybody", b"Hello, World!") == expected
    assert signature_valid(b"It's a Secret to Everybody", b"Hello, World!", expected)
    assert not signature_valid(b"It's a Secret to Everybody", b"Hello, World!!", expected)
    assert not signature_valid(b"another secret", b"Hello, World!", expected)
    assert not signature_valid(b"It's a Secret to Everybody", b"Hello, World!", expected[7:])
    assert not signature_valid(b"It's a Secret to Everybody", b"Hello, World!", None)


@pytest.fixture
def pr_payload(kit: Any, gh: Any) -> dict[str, Any]:
    repo = gh.add_repo("acme", "shop")
    base = repo.commit({"README.md": "shop\n"})
    head = repo.commit({"README.md": "shop!\n"}, parent=base)
    repo.open_pull(7, base, head)
    payload: dict[str, Any] = kit.pull_request_body(repo, 7)
    return payload


async def post(
    client: httpx.AsyncClient, kit: Any, event: str, payload: Any, delivery: str, **headers: str
) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    sent = {**kit.signed_headers(body, event, delivery), **headers}
    return await client.post(URL, content=body, headers=sent)


async def test_pull_request_is_stored_once_and_queued_after_commit(
    client: httpx.AsyncClient, kit: Any, queue: Any, pr_payload: dict[str, Any], sql: Any
) -> None:
    response = await post(client, kit, "pull_request", pr_payload, "d-1")
    assert response.status_code == 202
    assert response.json() == {"status": "queued", "delivery": "d-1"}
    rows = sql("SELECT id, event, action, repository, status FROM webhook_deliveries")
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        ("pull_request", "opened", "acme/shop", "received")
    ]
    assert queue.ids == [str(rows[0][0])]


async def test_redelivery_is_acknowledged_and_not_processed_twice(
    client: httpx.AsyncClient, kit: Any, queue: Any, pr_payload: dict[str, Any], sql: Any
) -> None:
    assert (await post(client, kit, "pull_request", pr_payload, "d-2")).status_code == 202
    sql("UPDATE webhook_deliveries SET status = 'processed'")
    again = await post(client, kit, "pull_request", pr_payload, "d-2")
    assert again.status_code == 200
    assert again.json() == {
        "status": "duplicate",
        "delivery": "d-2",
        "delivery_status": "processed",
    }
    assert len(queue.ids) == 1
    assert sql("SELECT count(*) FROM webhook_deliveries") == [(1,)]


async def test_redelivery_of_a_failed_delivery_runs_it_again(
    client: httpx.AsyncClient, kit: Any, queue: Any, pr_payload: dict[str, Any], sql: Any
) -> None:
    await post(client, kit, "pull_request", pr_payload, "d-3")
    sql("UPDATE webhook_deliveries SET status = 'failed', error = 'boom'")
    again = await post(client, kit, "pull_request", pr_payload, "d-3")
    assert (again.status_code, again.json()["status"]) == (202, "requeued")
    assert len(queue.ids) == 2 and queue.ids[0] == queue.ids[1]
    assert sql("SELECT status FROM webhook_deliveries") == [("received",)]


async def test_bad_or_missing_signature_is_401(
    client: httpx.AsyncClient, kit: Any, queue: Any, pr_payload: dict[str, Any], sql: Any
) -> None:
    body = json.dumps(pr_payload).encode()
    forged = sign(b"not the secret", body)
    response = await post(
        client, kit, "pull_request", body, "d-4", **{"X-Hub-Signature-256": forged}
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "X-Hub-Signature-256 does not match the body"
    tampered = await client.post(
        URL,
        content=body + b" ",
        headers=kit.signed_headers(body, "pull_request", "d-5"),
    )
    assert tampered.status_code == 401
    headers = kit.signed_headers(body, "pull_request", "d-6")
    del headers["X-Hub-Signature-256"]
    missing = await client.post(URL, content=body, headers=headers)
    assert missing.status_code == 401
    assert missing.json()["detail"] == "missing X-Hub-Signature-256 header"
    assert sql("SELECT count(*) FROM webhook_deliveries") == [(0,)] and queue.ids == []


@pytest.fixture
def settings_override(app: Any) -> Any:
    def use(**values: Any) -> None:
        app.dependency_overrides[get_github_settings] = lambda: GitHubSettings(**values)

    yield use
    app.dependency_overrides.pop(get_github_settings, None)


async def test_no_secret_configured_refuses_everything(
    client: httpx.AsyncClient, kit: Any, pr_payload: dict[str, Any], settings_override: Any
) -> None:
    settings_override(environment="production", github_webhook_secret=None,
                      github_webhook_allow_unsigned=True)  # fmt: skip
    body = json.dumps(pr_payload).encode()
    headers = kit.signed_headers(body, "pull_request", "d-7")
    response = await client.post(URL, content=body, headers=headers)
    assert response.status_code == 401
    assert "GITHUB_WEBHOOK_SECRET is not configured" in response.json()["detail"]
    del headers["X-Hub-Signature-256"]
    ping = await client.post(
        URL, content=b'{"zen": "x"}', headers={**headers, "X-GitHub-Event": "ping"}
    )
    assert ping.status_code == 401


async def test_unsigned_deliveries_only_in_development_when_explicitly_allowed(
    client: httpx.AsyncClient, kit: Any, queue: Any, pr_payload: dict[str, Any],
    settings_override: Any,
) -> None:  # fmt: skip
    body = json.dumps(pr_payload).encode()
    headers = kit.signed_headers(body, "pull_request", "d-8")
    del headers["X-Hub-Signature-256"]
    settings_override(environment="development", github_webhook_secret=None)
    assert (await client.post(URL, content=body, headers=headers)).status_code == 401
    settings_override(environment="test", github_webhook_secret=None,
                      github_webhook_allow_unsigned=True)  # fmt: skip
    assert (await client.post(URL, content=body, headers=headers)).status_code == 401
    settings_override(environment="development", github_webhook_secret=None,
                      github_webhook_allow_unsigned=True)  # fmt: skip
    assert (await client.post(URL, content=body, headers=headers)).status_code == 202


async def test_ping_is_answered(client: httpx.AsyncClient, kit: Any, sql: Any) -> None:
    payload = kit.load_webhook("ping")
    response = await post(client, kit, "ping", payload, "d-9")
    assert response.status_code == 200
    assert response.json() == {
        "status": "pong",
        "zen": payload["zen"],
        "hook_id": payload["hook_id"],
    }
    assert sql("SELECT count(*) FROM webhook_deliveries") == [(0,)]


@pytest.mark.parametrize(
    ("event", "fixture", "pull_request", "reason"),
    [
        ("check_run", "check_run.created", {}, "event 'check_run' is not handled"),
        ("pull_request", "pull_request.opened", {"action": "labeled"},
         "pull_request action 'labeled' is not checked"),
        ("pull_request", "pull_request.closed", {"merged": True},
         "pull_request closed by its merge: the merge sync handles it"),
    ],
)  # fmt: skip
async def test_events_and_actions_not_checked_are_ignored(
    client: httpx.AsyncClient, kit: Any, queue: Any, sql: Any, event: str, fixture: str,
    pull_request: dict[str, Any], reason: str,
) -> None:  # fmt: skip
    payload = kit.load_webhook(fixture)
    changes = dict(pull_request)
    if "action" in changes:
        payload["action"] = changes.pop("action")
    if changes:
        payload["pull_request"].update(changes)
    response = await post(client, kit, event, payload, "d-10")
    assert response.status_code == 202
    assert response.json() == {"status": "ignored", "event": event, "reason": reason}
    assert queue.ids == [] and sql("SELECT count(*) FROM webhook_deliveries") == [(0,)]


async def test_pushes_to_other_branches_and_branch_deletions_are_ignored(
    client: httpx.AsyncClient, kit: Any, queue: Any, gh: Any
) -> None:
    repo = gh.add_repo("acme", "shop")
    sha = repo.commit({"contract.yaml": "x: 1\n"})
    feature = kit.push_body(repo, "1" * 40, sha, branch="feature/x")
    response = await post(client, kit, "push", feature, "d-11")
    assert response.json()["reason"] == "push to refs/heads/feature/x, not to the default branch"
    deleted = kit.push_body(repo, sha, "0" * 40)
    deleted["deleted"] = True
    assert (await post(client, kit, "push", deleted, "d-12")).json()["reason"] == "branch deletion"
    assert queue.ids == []


async def test_form_encoded_deliveries_are_understood(
    client: httpx.AsyncClient, kit: Any, queue: Any, pr_payload: dict[str, Any]
) -> None:
    body = urlencode({"payload": json.dumps(pr_payload)}).encode()
    headers = kit.signed_headers(body, "pull_request", "d-13")
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    response = await client.post(URL, content=body, headers=headers)
    assert response.status_code == 202 and len(queue.ids) == 1


@pytest.mark.parametrize(
    ("body", "content_type", "status", "detail"),
    [
        (b"{not json", "application/json", 400, "invalid JSON at line 1, column 2"),
        (b"[1, 2]", "application/json", 400, "the payload must be a JSON object"),
        (b"", "application/json", 400, "request body is empty"),
        (b"\xff\xfe", "application/json", 400, "body is not UTF-8"),
        (b"a=b", "application/x-www-form-urlencoded", 400, "without a 'payload' field"),
        (b"<xml/>", "text/xml", 400, "unsupported content type"),
        (b'{"action": "opened"}', "application/json", 422, "not a valid 'pull_request' payload"),
        (b'{"action": "opened", "pull_request": {"number": "x"}}', "application/json", 422,
         "pull_request.number"),
    ],
)  # fmt: skip
async def test_malformed_bodies_are_4xx_never_500(
    client: httpx.AsyncClient, kit: Any, queue: Any, body: bytes, content_type: str, status: int,
    detail: str,
) -> None:  # fmt: skip
    headers = kit.signed_headers(body, "pull_request", "d-14")
    headers["Content-Type"] = content_type
    response = await client.post(URL, content=body, headers=headers)
    assert response.status_code == status, response.text
    assert detail in response.json()["detail"]
    assert queue.ids == []


@pytest.mark.parametrize(
    ("drop", "override", "detail"),
    [
        ("X-GitHub-Event", {}, "missing X-GitHub-Event header"),
        ("X-GitHub-Delivery", {}, "missing X-GitHub-Delivery header"),
        (None, {"X-GitHub-Event": "Pull Request!"}, "is not an event name"),
        (None, {"X-GitHub-Delivery": "a/../b"}, "X-GitHub-Delivery is not a delivery id"),
    ],
)
async def test_missing_or_bad_github_headers_are_400(
    client: httpx.AsyncClient, kit: Any, pr_payload: dict[str, Any], drop: str | None,
    override: dict[str, str], detail: str,
) -> None:  # fmt: skip
    body = json.dumps(pr_payload).encode()
    headers = {**kit.signed_headers(body, "pull_request", "d-15"), **override}
    if drop:
        del headers[drop]
    response = await client.post(URL, content=body, headers=headers)
    assert response.status_code == 400
    assert detail in response.json()["detail"]


async def test_oversized_bodies_are_413(client: httpx.AsyncClient, kit: Any, queue: Any) -> None:
    body = b'{"padding": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = await client.post(
        URL, content=body, headers=kit.signed_headers(body, "push", "d-16")
    )
    assert response.status_code == 413
    assert queue.ids == []


@pytest.mark.parametrize(
    ("fixture", "model"),
    [
        ("pull_request.opened", "PullRequestEvent"),
        ("pull_request.synchronize", "PullRequestEvent"),
        ("pull_request.closed", "PullRequestEvent"),
        ("push.with-new-branch", "PushEvent"),
    ],
)
def test_githubs_own_example_payloads_are_understood_unchanged(
    kit: Any, fixture: str, model: str
) -> None:
    from contract_service.github import schemas

    parsed = getattr(schemas, model).model_validate(kit.load_webhook(fixture))
    assert parsed.repository.full_name == "Codertocat/Hello-World"
    assert parsed.installation is not None and parsed.installation.id == 1
    if model == "PushEvent":
        assert parsed.branch == "master" == parsed.repository.default_branch
        assert parsed.actor == "Codertocat" and parsed.commits[0].added == ["README.md"]
    else:
        assert parsed.pull_request.head.sha != parsed.pull_request.base.sha
