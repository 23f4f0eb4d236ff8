"""A small real GitHub REST server on loopback, for the GitHub integration's tests.

It speaks the endpoints DataPact uses, with GitHub's own rules where they matter:

- ``POST /app/installations/{id}/access_tokens`` verifies the RS256 App JWT with the test
  App's public key (``iss``, ``iat``, ``exp`` at most 10 minutes ahead) and issues
  ``ghs_...`` tokens that expire; every repository endpoint wants a valid token;
- ``GET .../pulls/{n}/files`` pages with ``per_page``/``page`` (30 by default, 100 at most,
  3000 files at most) and a ``Link`` header whose URLs use ``/repositories/{id}/...``;
- ``GET .../contents/{path}?ref=`` answers base64 with a newline every 60 characters, 404
  when absent, and for files over 1 MB ``encoding: none`` unless the raw media type is asked;
- check runs: only an App installation may create them (403 for a personal token), 422
  for ``completed`` without ``conclusion`` (GitHub's real message), for more than 50
  annotations in one request, for a summary over 65535 characters, for a title over 255;
  annotations of each update are appended;
- issue comments list/create/update, commit statuses, compare.

State lives in memory (:class:`FakeRepo`: commits as full file trees, pull requests);
every request is recorded for assertions. ``fail_next(...)`` queues error answers (rate
limits, 5xx) to exercise retries.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from datapact_testing.loopback import LoopbackServer
from datapact_testing.polling import eventually
from datapact_testing.processes import free_port

MISSING_CONCLUSION = (
    'Invalid request.\n\nNo subschema in "anyOf" matched.\n"conclusion" wasn\'t supplied.\n'
    'completed is not a member of ["queued", "in_progress"].'
)
MAX_ANNOTATIONS = 50
MAX_OUTPUT_CHARS = 65535
MAX_COMMENT_CHARS = 65536
LARGE_FILE_BYTES = 1024 * 1024
CONCLUSIONS = {
    "action_required", "cancelled", "failure", "neutral", "success", "skipped", "timed_out",
}  # fmt: skip
LEVELS = {"notice", "warning", "failure"}
RAW_MEDIA_TYPES = {"application/vnd.github.raw+json", "application/vnd.github.v3.raw",
                   "application/vnd.github.raw"}  # fmt: skip


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status: int = 0

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class PullRequest:
    number: int
    base_sha: str
    head_sha: str
    files: list[dict[str, Any]]


@dataclass
class FakeRepo:
    owner: str
    name: str
    id: int
    default_branch: str = "main"
    commits: dict[str, dict[str, bytes]] = field(default_factory=dict)
    pulls: dict[int, PullRequest] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def commit(self, files: dict[str, str | bytes | None], parent: str | None = None) -> str:
        """A new commit: ``parent``'s tree with ``files`` written (``None`` deletes)."""
        tree = dict(self.commits.get(parent, {})) if parent else {}
        for path, content in files.items():
            if content is None:
                tree.pop(path, None)
            else:
                tree[path] = content.encode() if isinstance(content, str) else content
        digest = hashlib.sha1(usedforsecurity=False)
        digest.update((parent or "").encode())
        for path in sorted(tree):
            digest.update(path.encode() + b"\0" + tree[path] + b"\0")
        digest.update(secrets.token_bytes(8))
        sha = digest.hexdigest()
        self.commits[sha] = tree
        return sha

    def diff(self, base: str, head: str) -> list[dict[str, Any]]:
        """GitHub DiffEntry items between two commits."""
        old, new = self.commits[base], self.commits[head]
        entries = []
        for path in sorted(set(old) | set(new)):
            before, after = old.get(path), new.get(path)
            if before == after:
                continue
            status = "added" if before is None else "removed" if after is None else "modified"
            additions = len((after or b"").splitlines()) if status != "removed" else 0
            deletions = len((before or b"").splitlines()) if status != "added" else 0
            blob = hashlib.sha1(after or before or b"", usedforsecurity=False).hexdigest()
            entries.append(
                {
                    "sha": blob,
                    "filename": path,
                    "status": status,
                    "additions": additions,
                    "deletions": deletions,
                    "changes": additions + deletions,
                    "blob_url": f"https://github.com/{self.full_name}/blob/{head}/{path}",
                    "raw_url": f"https://github.com/{self.full_name}/raw/{head}/{path}",
                    "contents_url": f"https://api.github.com/repos/{self.full_name}/contents/"
                    f"{path}?ref={head}",
                }
            )
        return entries

    def open_pull(self, number: int, base: str, head: str) -> PullRequest:
        pull = PullRequest(number, base, head, self.diff(base, head))
        self.pulls[number] = pull
        return pull


class _Reply(Exception):  # noqa: N818 - a reply, raised to short-cut a route
    def __init__(
        self,
        status: int,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.raw = raw


def _error(status: int, message: str) -> _Reply:
    return _Reply(status, {"message": message, "documentation_url": "https://docs.github.com/rest"})


@dataclass
class _QueuedFailure:
    method: str
    path_pattern: re.Pattern[str]
    status: int
    headers: dict[str, str]
    body: dict[str, Any]
    times: int


Route = Callable[["FakeGitHub", "_Request", re.Match[str]], Any]


@dataclass
class _Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        if not self.body:
            return {}
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise _error(400, "Problems parsing JSON") from exc

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default


class FakeGitHub(LoopbackServer):
    """``with FakeGitHub() as gh: repo = gh.add_repo("acme", "shop") ...``"""

    keep_alive = True

    def __init__(self, *, app_id: str = "123456", port: int | None = None) -> None:
        self.port = port or free_port()
        self.app_id = app_id
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private_key_pem = self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        self.public_key_pem = (
            self._key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        self.installations: set[int] = {1}
        self.token_lifetime_seconds = 3600
        self.installation_tokens: dict[str, tuple[int, float]] = {}
        self.personal_tokens: set[str] = set()
        self.repos: dict[tuple[str, str], FakeRepo] = {}
        self.check_runs: dict[int, dict[str, Any]] = {}
        self.annotations: dict[int, list[dict[str, Any]]] = {}
        self.comments: dict[int, dict[str, Any]] = {}
        self.statuses: list[dict[str, Any]] = []
        self.requests: list[RecordedRequest] = []
        self._failures: list[_QueuedFailure] = []
        self._ids = itertools.count(1_000_001)
        self._repo_ids = itertools.count(500_001)
        self._lock = threading.RLock()

    # -- test helpers --------------------------------------------------------------------
    def add_repo(self, owner: str, name: str, *, default_branch: str = "main") -> FakeRepo:
        with self._lock:
            repo = FakeRepo(owner, name, next(self._repo_ids), default_branch)
            self.repos[(owner.lower(), name.lower())] = repo
            return repo

    def add_personal_token(self, token: str | None = None) -> str:
        token = token or f"ghp_{secrets.token_hex(18)}"
        self.personal_tokens.add(token)
        return token

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        headers: dict[str, str] | None = None,
        message: str = "Server Error",
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` (and ``headers``)."""
        with self._lock:
            self._failures.append(
                _QueuedFailure(
                    method.upper(), re.compile(path_regex), status, headers or {},
                    {"message": message}, times,
                )
            )  # fmt: skip

    def reset_records(self) -> None:
        with self._lock:
            self.requests.clear()

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def reset(self) -> None:
        """Forget every repository, run, comment, token and request (the App key stays)."""
        with self._lock:
            for store in (
                self.repos, self.check_runs, self.annotations, self.comments,
                self.installation_tokens,
            ):  # fmt: skip
                store.clear()
            self.statuses.clear()
            self.requests.clear()
            self._failures.clear()
            self.personal_tokens.clear()
            self.installations = {1}

    def recorded(
        self, method: str | None = None, path_regex: str | None = None
    ) -> list[RecordedRequest]:
        with self._lock:
            found = list(self.requests)
        return [
            r
            for r in found
            if (method is None or r.method == method.upper())
            and (path_regex is None or re.search(path_regex, r.path))
        ]

    def runs_for(self, head_sha: str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self.check_runs.values() if r["head_sha"] == head_sha]

    def comments_on(self, repo: FakeRepo, number: int) -> list[dict[str, Any]]:
        with self._lock:
            return [
                dict(c)
                for c in self.comments.values()
                if c["_repo"] == repo.full_name and c["_number"] == number
            ]

    def wait_for(
        self, predicate: Callable[[], Any], timeout: float = 30.0, interval: float = 0.05
    ) -> Any:
        return eventually(predicate, "the fake GitHub saw it", within=timeout, interval=interval)

    def wait_for_completed_run(self, head_sha: str, timeout: float = 30.0) -> dict[str, Any]:
        def completed() -> dict[str, Any] | None:
            runs = [r for r in self.runs_for(head_sha) if r["status"] == "completed"]
            return runs[-1] if runs else None

        result: dict[str, Any] = self.wait_for(completed, timeout)
        return result

    # -- HTTP plumbing -------------------------------------------------------------------
    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("content-length") or 0)
        body = handler.rfile.read(length) if length else b""
        request = _Request(
            handler.command,
            unquote(parts.path),
            parse_qs(parts.query),
            {k.lower(): v for k, v in handler.headers.items()},
            body,
        )
        record = RecordedRequest(request.method, request.path, request.query, request.headers, body)
        try:
            with self._lock:
                self.requests.append(record)
                self._queued_failure(request)
                result = self._dispatch(request)
            reply = result if isinstance(result, _Reply) else _Reply(200, result)
        except _Reply as exc:
            reply = exc
        record.status = reply.status
        if reply.raw is not None:
            payload = reply.raw
            content_type = "application/vnd.github.raw"
        else:
            payload = b"" if reply.body is None else json.dumps(reply.body).encode()
            content_type = "application/json; charset=utf-8"
        handler.send_response(reply.status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        handler.send_header("X-RateLimit-Limit", "5000")
        handler.send_header(
            "X-RateLimit-Remaining", reply.headers.pop("x-ratelimit-remaining", "4999")
        )
        handler.send_header(
            "X-RateLimit-Reset",
            reply.headers.pop("x-ratelimit-reset", str(int(time.time()) + 3600)),
        )
        for key, value in reply.headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(payload)

    def _queued_failure(self, request: _Request) -> None:
        for failure in self._failures:
            if failure.method == request.method and failure.path_pattern.search(request.path):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                raise _Reply(
                    failure.status, failure.body, {k.lower(): v for k, v in failure.headers.items()}
                )

    def _dispatch(self, request: _Request) -> Any:
        for method, pattern, route in _ROUTES:
            if method != request.method:
                continue
            match = pattern.fullmatch(request.path)
            if match:
                return route(self, request, match)
        raise _error(404, "Not Found")

    # -- auth ------------------------------------------------------------------------------
    def _bearer(self, request: _Request) -> str:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() not in ("bearer", "token") or not token:
            raise _error(401, "Requires authentication")
        return token.strip()

    def _verify_app_jwt(self, request: _Request) -> None:
        token = self._bearer(request)
        try:
            claims = jwt.decode(
                token,
                self.public_key_pem,
                algorithms=["RS256"],
                options={"require": ["iat", "exp", "iss"], "verify_iat": False},
                leeway=0,
            )
        except jwt.ExpiredSignatureError as exc:
            raise _error(
                401,
                "'Expiration time' claim ('exp') must be a numeric value representing the "
                "future time at which the assertion expires",
            ) from exc
        except jwt.PyJWTError as exc:
            raise _error(401, "A JSON web token could not be decoded") from exc
        if str(claims["iss"]) != self.app_id:
            raise _error(401, "'Issuer' claim ('iss') must be an Integer")
        now = time.time()
        if int(claims["exp"]) - now > 600 + 5:
            raise _error(401, "'Expiration time' claim ('exp') is too far in the future")
        if int(claims["iat"]) > now + 5:
            raise _error(
                401,
                "'Issued at' claim ('iat') must be an Integer representing the time that "
                "the assertion was issued",
            )

    def _auth(self, request: _Request) -> str:
        """``installation`` or ``personal`` for a valid token; 401 otherwise."""
        token = self._bearer(request)
        if token in self.personal_tokens:
            return "personal"
        issued = self.installation_tokens.get(token)
        if issued is None or issued[1] <= time.time():
            raise _error(401, "Bad credentials")
        return "installation"

    def _repo(self, owner: str, name: str) -> FakeRepo:
        repo = self.repos.get((owner.lower(), name.lower()))
        if repo is None:
            raise _error(404, "Not Found")
        return repo

    def _repo_by_id(self, repo_id: str) -> FakeRepo:
        for repo in self.repos.values():
            if str(repo.id) == repo_id:
                return repo
        raise _error(404, "Not Found")

    # -- pagination ------------------------------------------------------------------------
    def _page(
        self, request: _Request, items: list[Any], link_path: str, *, default: int = 30
    ) -> _Reply:
        try:
            per_page = min(100, max(1, int(request.param("per_page", str(default)) or default)))
            page = max(1, int(request.param("page", "1") or 1))
        except ValueError as exc:
            raise _error(422, "Invalid pagination parameters") from exc
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []

        def link(number: int, rel: str) -> str:
            return f'<{self.url}{link_path}?per_page={per_page}&page={number}>; rel="{rel}"'

        if page > 1:
            links += [link(page - 1, "prev"), link(1, "first")]
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        return _Reply(200, chunk, {"Link": ", ".join(links)} if links else {})

    # -- routes ----------------------------------------------------------------------------
    def access_token(self, request: _Request, match: re.Match[str]) -> _Reply:
        self._verify_app_jwt(request)
        installation = int(match["installation"])
        if installation not in self.installations:
            raise _error(404, "Not Found")
        token = f"ghs_{secrets.token_hex(18)}"
        expires = time.time() + self.token_lifetime_seconds
        self.installation_tokens[token] = (installation, expires)
        expires_at = datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return _Reply(
            201,
            {
                "token": token,
                "expires_at": expires_at,
                "permissions": {"checks": "write", "contents": "read", "metadata": "read",
                                "pull_requests": "write"},
                "repository_selection": "all",
            },
        )  # fmt: skip

    def repo_installation(self, request: _Request, match: re.Match[str]) -> Any:
        self._verify_app_jwt(request)
        self._repo(match["owner"], match["repo"])
        return {"id": min(self.installations), "app_id": int(self.app_id)}

    def pull_files(self, request: _Request, match: re.Match[str]) -> _Reply:
        self._auth(request)
        if match["repo_id"]:
            repo = self._repo_by_id(match["repo_id"])
        else:
            repo = self._repo(match["owner"], match["repo"])
        pull = repo.pulls.get(int(match["number"]))
        if pull is None:
            raise _error(404, "Not Found")
        link_path = f"/repositories/{repo.id}/pulls/{pull.number}/files"
        return self._page(request, pull.files[:3000], link_path)

    def contents(self, request: _Request, match: re.Match[str]) -> _Reply:
        self._auth(request)
        repo = self._repo(match["owner"], match["repo"])
        ref = request.param("ref")
        path = match["path"]
        if ref is None:
            raise _error(422, "this fake needs ?ref=")
        tree = repo.commits.get(ref)
        if tree is None:
            raise _error(404, f"No commit found for the ref {ref}")
        data = tree.get(path)
        if data is None:
            if any(p.startswith(path.rstrip("/") + "/") for p in tree):
                entries = sorted({p for p in tree if p.startswith(path.rstrip("/") + "/")})
                return _Reply(
                    200,
                    [{"type": "file", "path": p, "name": p.rsplit("/", 1)[-1]} for p in entries],
                )
            raise _error(404, "Not Found")
        accept = request.headers.get("accept", "")
        if any(media in accept for media in RAW_MEDIA_TYPES):
            return _Reply(200, raw=data)
        large = len(data) > LARGE_FILE_BYTES
        encoded = base64.b64encode(data).decode()
        content = (
            "" if large else "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60))
        )
        blob = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        return _Reply(
            200,
            {
                "type": "file",
                "encoding": "none" if large else "base64",
                "size": len(data),
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "content": content,
                "sha": blob,
                "url": f"{self.url}/repos/{repo.full_name}/contents/{path}?ref={ref}",
                "html_url": f"https://github.com/{repo.full_name}/blob/{ref}/{path}",
                "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{path}",
            },
        )

    def compare(self, request: _Request, match: re.Match[str]) -> Any:
        self._auth(request)
        repo = self._repo(match["owner"], match["repo"])
        base, head = match["base"], match["head"]
        if base not in repo.commits or head not in repo.commits:
            raise _error(404, "Not Found")
        return {"status": "ahead", "files": repo.diff(base, head)[:300]}

    def _validate_output(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        output = body.get("output")
        if output is None:
            return []
        if not isinstance(output, dict) or "title" not in output or "summary" not in output:
            raise _error(422, 'Invalid request.\n\n"title", "summary" weren\'t supplied.')
        for key in ("summary", "text"):
            value = output.get(key)
            if isinstance(value, str) and len(value) > MAX_OUTPUT_CHARS:
                raise _error(
                    422,
                    f"Invalid request.\n\nOnly {MAX_OUTPUT_CHARS} characters are allowed; "
                    f"{len(value)} were supplied.",
                )
        annotations = output.get("annotations") or []
        if len(annotations) > MAX_ANNOTATIONS:
            raise _error(
                422,
                f"Invalid request.\n\nNo more than {MAX_ANNOTATIONS} items are allowed; "
                f"{len(annotations)} were supplied.",
            )
        for item in annotations:
            missing = [
                k
                for k in ("path", "start_line", "end_line", "annotation_level", "message")
                if k not in item
            ]
            if missing:
                raise _error(422, f"Invalid request.\n\n{', '.join(missing)} wasn't supplied.")
            if item["annotation_level"] not in LEVELS:
                raise _error(
                    422,
                    f"Invalid request.\n\n{item['annotation_level']} is not a member of "
                    f"{sorted(LEVELS)}.",
                )
            if len(item.get("title") or "") > 255:
                raise _error(
                    422,
                    "Invalid request.\n\nannotation title is too long (maximum is 255 characters)",
                )
            if int(item["start_line"]) < 1 or int(item["end_line"]) < int(item["start_line"]):
                raise _error(422, "Invalid request.\n\nannotation lines are invalid")
            if ("start_column" in item or "end_column" in item) and item["start_line"] != item[
                "end_line"
            ]:
                raise _error(422, "Invalid request.\n\ncolumns are only allowed on a single line")
        return list(annotations)

    def _validate_status(self, body: dict[str, Any], run: dict[str, Any] | None) -> None:
        status = body.get("status")
        conclusion = body.get("conclusion")
        if conclusion is not None and conclusion not in CONCLUSIONS:
            raise _error(
                422, f"Invalid request.\n\n{conclusion} is not a member of {sorted(CONCLUSIONS)}."
            )
        if status is not None and status not in ("queued", "in_progress", "completed"):
            raise _error(
                422,
                f"Invalid request.\n\n{status} is not a member of "
                '["queued", "in_progress", "completed"].',
            )
        if (status == "completed" or body.get("completed_at")) and conclusion is None:
            raise _error(422, MISSING_CONCLUSION)

    def create_check_run(self, request: _Request, match: re.Match[str]) -> _Reply:
        if self._auth(request) != "installation":
            raise _error(403, "Resource not accessible by personal access token")
        repo = self._repo(match["owner"], match["repo"])
        body = request.json()
        missing = [k for k in ("name", "head_sha") if not body.get(k)]
        if missing:
            raise _error(422, f"Invalid request.\n\n{', '.join(missing)} wasn't supplied.")
        self._validate_status(body, None)
        annotations = self._validate_output(body)
        run_id = next(self._ids)
        status = "completed" if body.get("conclusion") else body.get("status") or "queued"
        run = {
            "id": run_id,
            "name": body["name"],
            "head_sha": body["head_sha"],
            "status": status,
            "conclusion": body.get("conclusion"),
            "started_at": body.get("started_at") or now_iso(),
            "completed_at": body.get("completed_at")
            or (now_iso() if status == "completed" else None),
            "external_id": body.get("external_id"),
            "details_url": body.get("details_url"),
            "output": {k: v for k, v in (body.get("output") or {}).items() if k != "annotations"},
            "html_url": f"https://github.com/{repo.full_name}/runs/{run_id}",
            "url": f"{self.url}/repos/{repo.full_name}/check-runs/{run_id}",
            "_repo": repo.full_name,
            "_updates": 0,
            "_completed_monotonic": time.monotonic() if status == "completed" else None,
        }
        self.check_runs[run_id] = run
        self.annotations[run_id] = list(annotations)
        return _Reply(201, self._run_view(run))

    def _run_view(self, run: dict[str, Any]) -> dict[str, Any]:
        view = {k: v for k, v in run.items() if not k.startswith("_")}
        view["output"] = {
            "title": run["output"].get("title"),
            "summary": run["output"].get("summary"),
            "text": run["output"].get("text"),
            "annotations_count": len(self.annotations.get(run["id"], [])),
            "annotations_url": f"{run['url']}/annotations",
        }
        return view

    def update_check_run(self, request: _Request, match: re.Match[str]) -> Any:
        if self._auth(request) != "installation":
            raise _error(403, "Resource not accessible by personal access token")
        self._repo(match["owner"], match["repo"])
        run = self.check_runs.get(int(match["run_id"]))
        if run is None:
            raise _error(404, "Not Found")
        body = request.json()
        self._validate_status(body, run)
        annotations = self._validate_output(body)
        if body.get("conclusion"):
            run["status"], run["conclusion"] = "completed", body["conclusion"]
            run["completed_at"] = body.get("completed_at") or now_iso()
            run["_completed_monotonic"] = time.monotonic()
        elif body.get("status"):
            run["status"] = body["status"]
        if "output" in body:
            run["output"] = {k: v for k, v in body["output"].items() if k != "annotations"}
        for key in ("name", "details_url", "external_id"):
            if key in body:
                run[key] = body[key]
        self.annotations[run["id"]].extend(annotations)
        run["_updates"] += 1
        return self._run_view(run)

    def list_annotations(self, request: _Request, match: re.Match[str]) -> _Reply:
        self._auth(request)
        repo = self._repo(match["owner"], match["repo"])
        run_id = int(match["run_id"])
        if run_id not in self.check_runs:
            raise _error(404, "Not Found")
        return self._page(
            request,
            self.annotations[run_id],
            f"/repos/{repo.full_name}/check-runs/{run_id}/annotations",
        )

    def runs_for_ref(self, request: _Request, match: re.Match[str]) -> Any:
        self._auth(request)
        repo = self._repo(match["owner"], match["repo"])
        name = request.param("check_name")
        runs = [
            self._run_view(r) for r in self.check_runs.values()
            if r["_repo"] == repo.full_name and r["head_sha"] == match["ref"]
            and (name is None or r["name"] == name)
        ]  # fmt: skip
        runs.reverse()
        return {"total_count": len(runs), "check_runs": runs}

    def create_status(self, request: _Request, match: re.Match[str]) -> _Reply:
        self._auth(request)
        repo = self._repo(match["owner"], match["repo"])
        body = request.json()
        if body.get("state") not in ("error", "failure", "pending", "success"):
            raise _error(422, "Validation Failed")
        if len(body.get("description") or "") > 140:
            raise _error(
                422, "Validation Failed: description is too long (maximum is 140 characters)"
            )
        entry = {**body, "sha": match["sha"], "_repo": repo.full_name, "id": next(self._ids)}
        self.statuses.append(entry)
        return _Reply(201, entry)

    def list_comments(self, request: _Request, match: re.Match[str]) -> _Reply:
        self._auth(request)
        if match["repo_id"]:
            repo = self._repo_by_id(match["repo_id"])
        else:
            repo = self._repo(match["owner"], match["repo"])
        number = int(match["number"])
        items = [
            {k: v for k, v in c.items() if not k.startswith("_")}
            for c in self.comments.values()
            if c["_repo"] == repo.full_name and c["_number"] == number
        ]
        return self._page(request, items, f"/repositories/{repo.id}/issues/{number}/comments")

    def _comment_body(self, request: _Request) -> str:
        body = request.json().get("body")
        if not isinstance(body, str) or not body:
            raise _error(422, 'Invalid request.\n\n"body" wasn\'t supplied.')
        if len(body) > MAX_COMMENT_CHARS:
            raise _error(422, "Validation Failed: body is too long (maximum is 65536 characters)")
        return body

    def create_comment(self, request: _Request, match: re.Match[str]) -> _Reply:
        kind = self._auth(request)
        repo = self._repo(match["owner"], match["repo"])
        body = self._comment_body(request)
        comment_id = next(self._ids)
        login = "datapact[bot]" if kind == "installation" else "someone"
        comment = {
            "id": comment_id,
            "body": body,
            "user": {"login": login, "type": "Bot" if kind == "installation" else "User"},
            "created_at": now_iso(),
            "updated_at": now_iso(),
            "html_url": f"https://github.com/{repo.full_name}/pull/{match['number']}#issuecomment-{comment_id}",
            "_repo": repo.full_name,
            "_number": int(match["number"]),
            "_edits": 0,
        }
        self.comments[comment_id] = comment
        return _Reply(201, {k: v for k, v in comment.items() if not k.startswith("_")})

    def update_comment(self, request: _Request, match: re.Match[str]) -> Any:
        self._auth(request)
        repo = self._repo(match["owner"], match["repo"])
        comment = self.comments.get(int(match["comment_id"]))
        if comment is None or comment["_repo"] != repo.full_name:
            raise _error(404, "Not Found")
        comment["body"] = self._comment_body(request)
        comment["updated_at"] = now_iso()
        comment["_edits"] += 1
        return {k: v for k, v in comment.items() if not k.startswith("_")}


_OWNER_REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
_ANY_REPO = r"(?:/repositories/(?P<repo_id>\d+)|" + _OWNER_REPO + ")"
_ROUTES: list[tuple[str, re.Pattern[str], Route]] = [
    (method, re.compile(pattern), route)
    for method, pattern, route in [
        ("POST", r"/app/installations/(?P<installation>\d+)/access_tokens",
         FakeGitHub.access_token),
        ("GET", _OWNER_REPO + r"/installation", FakeGitHub.repo_installation),
        ("GET", _ANY_REPO + r"/pulls/(?P<number>\d+)/files", FakeGitHub.pull_files),
        ("GET", _OWNER_REPO + r"/contents/(?P<path>.+)", FakeGitHub.contents),
        ("GET", _OWNER_REPO + r"/compare/(?P<base>[^./]+)\.\.\.(?P<head>[^/]+)",
         FakeGitHub.compare),
        ("POST", _OWNER_REPO + r"/check-runs", FakeGitHub.create_check_run),
        ("PATCH", _OWNER_REPO + r"/check-runs/(?P<run_id>\d+)", FakeGitHub.update_check_run),
        ("GET", _OWNER_REPO + r"/check-runs/(?P<run_id>\d+)/annotations",
         FakeGitHub.list_annotations),
        ("GET", _OWNER_REPO + r"/commits/(?P<ref>[^/]+)/check-runs", FakeGitHub.runs_for_ref),
        ("POST", _OWNER_REPO + r"/statuses/(?P<sha>[^/]+)", FakeGitHub.create_status),
        ("GET", _ANY_REPO + r"/issues/(?P<number>\d+)/comments", FakeGitHub.list_comments),
        ("POST", _OWNER_REPO + r"/issues/(?P<number>\d+)/comments", FakeGitHub.create_comment),
        ("PATCH", _OWNER_REPO + r"/issues/comments/(?P<comment_id>\d+)",
         FakeGitHub.update_comment),
    ]
]  # fmt: skip
