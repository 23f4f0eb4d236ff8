"""GitHub webhook deliveries built from real bodies, signed the way GitHub signs them.

``webhook_bodies/*.json`` are octokit/webhooks payload examples (see the README there); the
builders replace only the repository, numbers and shas with a :class:`FakeRepo`'s, so
everything else is exactly what GitHub sends.
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

WEBHOOK_BODIES = Path(__file__).parent / "webhook_bodies"


def load_webhook(name: str) -> dict[str, Any]:
    """A body as GitHub sent it, e.g. ``load_webhook("pull_request.opened")``."""
    data: dict[str, Any] = json.loads((WEBHOOK_BODIES / f"{name}.json").read_text())
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
    repo: FakeRepo,
    number: int,
    *,
    action: str = "opened",
    installation: int | None = 1,
    title: str = "Change the orders schema",
    author: str | None = None,
    merged: bool = False,
) -> dict[str, Any]:
    """A ``pull_request`` body for ``repo``'s pull request ``number`` (its head and base).

    ``action="closed"`` starts from GitHub's ``closed`` example, a pull request closed
    unmerged; ``merged=True`` turns it into a merge the way GitHub reports one (``merged``,
    ``merged_at`` = ``closed_at``, ``merged_by``)."""
    pull = repo.pulls[number]
    sources = {"synchronize": "pull_request.synchronize", "closed": "pull_request.closed"}
    data = load_webhook(sources.get(action, "pull_request.opened"))
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
    if author is not None:
        pr["user"]["login"] = author
    if action == "closed" and merged:
        pr.update(merged=True, merged_at=pr["closed_at"], merged_by=copy.deepcopy(pr["user"]))
    pr["head"]["sha"] = pull.head_sha
    pr["base"]["sha"] = pull.base_sha
    pr["base"]["ref"] = repo.default_branch
    for side in ("head", "base"):
        if pr[side].get("repo"):
            _repository({"repository": pr[side]["repo"]}, repo)
    if action == "synchronize":
        data["after"] = pull.head_sha
    if installation is None:
        data.pop("installation", None)
    else:
        data["installation"]["id"] = installation
    return data


def push_body(
    repo: FakeRepo,
    before: str,
    after: str,
    *,
    added: list[str] | None = None,
    modified: list[str] | None = None,
    pusher: str = "octo-merger",
    branch: str | None = None,
    commits: int = 1,
    installation: int | None = None,
) -> dict[str, Any]:
    """A ``push`` body moving ``branch`` (default: the default branch) from ``before`` to
    ``after``; the last of ``commits`` commits adds/modifies the given paths. ``installation``
    replaces the example's App installation id."""
    data = load_webhook("push.with-new-branch")
    _repository(data, repo)
    data.update(
        ref=f"refs/heads/{branch or repo.default_branch}",
        before=before,
        after=after,
        created=False,
        compare=f"https://github.com/{repo.full_name}/compare/{before[:12]}...{after[:12]}",
    )
    data["sender"]["login"] = pusher
    data["pusher"]["name"] = pusher
    template = data["commits"][0]
    data["commits"] = []
    for index in range(commits):
        commit = copy.deepcopy(template)
        commit_id = after if index == commits - 1 else f"{index:040x}"
        commit.update(id=commit_id, added=[], modified=[], removed=[])
        data["commits"].append(commit)
    data["commits"][-1].update(added=added or [], modified=modified or [])
    data["head_commit"] = data["commits"][-1]
    if installation is not None:
        data["installation"]["id"] = installation
    return data


def signed_headers(body: bytes, event: str, delivery: str, *, secret: str) -> dict[str, str]:
    """The headers GitHub sends with a delivery, HMAC-SHA256 signature included."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery,
        "X-GitHub-Hook-ID": "292430182",
        "User-Agent": "GitHub-Hookshot/044aadd",
        "X-Hub-Signature-256": f"sha256={digest}",
    }


def deliver(base_url: str, secret: str, event: str, payload: dict[str, Any]) -> httpx.Response:
    """POST a delivery to a running contract-api the way GitHub does (raw JSON body)."""
    body = json.dumps(payload).encode()
    headers = signed_headers(body, event, str(uuid.uuid4()), secret=secret)
    return httpx.post(
        f"{base_url}/api/v1/webhooks/github", content=body, headers=headers, timeout=30
    )
