"""Signed GitHub webhook deliveries built from real webhook bodies.

The bodies are the octokit examples the contract-service's GitHub tests vendor
(``services/contract-service/tests/github/fixtures/webhooks``); only the repository, the
numbers and the shas are replaced, so everything else is what GitHub sends.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import uuid
from pathlib import Path
from typing import Any

import httpx

from datapact_testing.github_server import FakeRepo

FIXTURES = (
    Path(__file__).resolve().parents[1] / "services/contract-service/tests/github/fixtures/webhooks"
)


def load_webhook(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


def _repository(data: dict[str, Any], repo: FakeRepo) -> None:
    repository = data["repository"]
    repository.update(
        id=repo.id,
        name=repo.name,
        full_name=repo.full_name,
        default_branch=repo.default_branch,
        html_url=f"https://github.com/{repo.full_name}",
    )
    if "master_branch" in repository:
        repository["master_branch"] = repo.default_branch
    repository["owner"]["login"] = repo.owner


def pull_request_body(
    repo: FakeRepo, number: int, *, action: str, title: str, author: str
) -> dict[str, Any]:
    pull = repo.pulls[number]
    source = "pull_request.synchronize" if action == "synchronize" else "pull_request.opened"
    data = load_webhook(source)
    data["action"] = action
    data["number"] = number
    _repository(data, repo)
    pr = data["pull_request"]
    pr.update(
        number=number,
        title=title,
        html_url=f"https://github.com/{repo.full_name}/pull/{number}",
        url=f"https://api.github.com/repos/{repo.full_name}/pulls/{number}",
    )
    pr["user"]["login"] = author
    pr["head"]["sha"] = pull.head_sha
    pr["base"]["sha"] = pull.base_sha
    pr["base"]["ref"] = repo.default_branch
    for side in ("head", "base"):
        if pr[side].get("repo"):
            _repository({"repository": pr[side]["repo"]}, repo)
    if action == "synchronize":
        data["after"] = pull.head_sha
    data["installation"]["id"] = 1
    return data


def push_body(
    repo: FakeRepo, before: str, after: str, *, modified: list[str], pusher: str
) -> dict[str, Any]:
    """A push of one commit to the default branch (a merge)."""
    data = load_webhook("push.with-new-branch")
    _repository(data, repo)
    data.update(
        ref=f"refs/heads/{repo.default_branch}",
        before=before,
        after=after,
        created=False,
        compare=f"https://github.com/{repo.full_name}/compare/{before[:12]}...{after[:12]}",
    )
    data["sender"]["login"] = pusher
    data["pusher"]["name"] = pusher
    commit = copy.deepcopy(data["commits"][0])
    commit.update(id=after, added=[], removed=[], modified=modified)
    data["commits"] = [commit]
    data["head_commit"] = commit
    data["installation"]["id"] = 1
    return data


def deliver(base_url: str, secret: str, event: str, payload: dict[str, Any]) -> httpx.Response:
    """POST a delivery the way GitHub does: raw JSON body, HMAC-SHA256 signature header."""
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": str(uuid.uuid4()),
        "X-GitHub-Hook-ID": "292430182",
        "User-Agent": "GitHub-Hookshot/044aadd",
        "X-Hub-Signature-256": signature,
    }
    return httpx.post(
        f"{base_url}/api/v1/webhooks/github", content=body, headers=headers, timeout=30
    )
