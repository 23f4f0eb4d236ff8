"""The parts of GitHub webhook payloads the integration reads (everything else is ignored)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

ZERO_SHA = "0" * 40


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Account(_Payload):
    login: str = Field(min_length=1, max_length=255)


class Repository(_Payload):
    id: int
    name: str = Field(min_length=1, max_length=255)
    full_name: str = Field(min_length=3, max_length=511)
    owner: Account
    default_branch: str = Field(default="main", min_length=1, max_length=255)
    html_url: str | None = None


class Installation(_Payload):
    id: int


class GitRef(_Payload):
    sha: str = Field(min_length=7, max_length=64)
    ref: str = ""


class PullRequest(_Payload):
    number: int = Field(ge=1)
    title: str | None = None
    html_url: str | None = None
    draft: bool = False
    merged: bool = False  # in ``closed`` deliveries: merged, or closed unmerged
    head: GitRef
    base: GitRef
    user: Account | None = None


class PullRequestEvent(_Payload):
    action: str
    pull_request: PullRequest
    repository: Repository
    installation: Installation | None = None
    sender: Account | None = None


class PushCommit(_Payload):
    id: str
    added: list[str] = Field(default_factory=list)
    modified: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)


class Pusher(_Payload):
    name: str | None = None


class PushEvent(_Payload):
    ref: str
    before: str = ZERO_SHA
    after: str = Field(min_length=7, max_length=64)
    created: bool = False
    deleted: bool = False
    forced: bool = False
    compare: str | None = None
    commits: list[PushCommit] = Field(default_factory=list)
    repository: Repository
    pusher: Pusher | None = None
    sender: Account | None = None
    installation: Installation | None = None

    @property
    def actor(self) -> str:
        if self.sender is not None:
            return self.sender.login
        if self.pusher is not None and self.pusher.name:
            return self.pusher.name
        return "github"

    @property
    def branch(self) -> str | None:
        prefix = "refs/heads/"
        return self.ref[len(prefix) :] if self.ref.startswith(prefix) else None
