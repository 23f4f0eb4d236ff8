"""The GitHub client against the loopback GitHub: App auth, pagination, contents, retries."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest

from contract_service.github.auth import AppInstallationCredentials, TokenCredentials, app_jwt
from contract_service.github.client import FileUnavailableError, GitHubClient
from contract_service.github.errors import GitHubError, GitHubTransientError


async def _no_sleep(seconds: float) -> None:
    SLEPT.append(seconds)


SLEPT: list[float] = []


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


@pytest.fixture
def app_client(gh: Any, http: httpx.AsyncClient) -> GitHubClient:
    SLEPT.clear()
    credentials = AppInstallationCredentials(gh.url, gh.app_id, gh.private_key_pem, 1)
    return GitHubClient(http, gh.url, credentials, max_retry_wait=120, sleep=_no_sleep)


def test_app_jwt_claims() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    now = time.time()
    token = app_jwt("42", pem, now=now)
    claims = jwt.decode(
        token, key.public_key(), algorithms=["RS256"], options={"verify_exp": False}
    )
    assert claims["iss"] == "42"
    assert claims["iat"] == int(now) - 60  # backdated against clock drift
    assert claims["exp"] - int(now) <= 600  # GitHub refuses more than 10 minutes
    assert jwt.get_unverified_header(token)["alg"] == "RS256"


async def test_installation_token_is_fetched_once_and_cached(
    gh: Any, app_client: GitHubClient
) -> None:
    repo = gh.add_repo("acme", "shop")
    sha = repo.commit({"a.txt": "a\n"})
    for _ in range(3):
        assert await app_client.file_text("acme", "shop", "a.txt", sha, max_bytes=10_000) == "a\n"
    token_calls = gh.recorded("POST", r"/app/installations/1/access_tokens")
    assert len(token_calls) == 1
    assert token_calls[0].headers["authorization"].startswith("Bearer ey")  # the App JWT
    api_calls = gh.recorded("GET", "/contents/")
    assert {c.headers["authorization"] for c in api_calls} == {
        f"Bearer {next(iter(gh.installation_tokens))}"
    }


async def test_an_expired_or_revoked_token_is_replaced(gh: Any, app_client: GitHubClient) -> None:
    repo = gh.add_repo("acme", "shop")
    sha = repo.commit({"a.txt": "a\n"})
    await app_client.file_text("acme", "shop", "a.txt", sha, max_bytes=10_000)
    gh.installation_tokens.clear()  # revoked on GitHub's side
    assert await app_client.file_text("acme", "shop", "a.txt", sha, max_bytes=10_000) == "a\n"
    assert len(gh.recorded("POST", "access_tokens")) == 2


async def test_an_unknown_installation_is_an_error(gh: Any, http: httpx.AsyncClient) -> None:
    credentials = AppInstallationCredentials(gh.url, gh.app_id, gh.private_key_pem, 999)
    client = GitHubClient(http, gh.url, credentials)
    with pytest.raises(GitHubError) as failure:
        await client.pull_request_files("acme", "shop", 1)
    assert failure.value.status == 404 and not failure.value.transient


async def test_a_jwt_signed_with_another_key_is_refused(gh: Any, http: httpx.AsyncClient) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    client = GitHubClient(http, gh.url, AppInstallationCredentials(gh.url, gh.app_id, other, 1))
    with pytest.raises(GitHubError) as failure:
        await client.pull_request_files("acme", "shop", 1)
    assert failure.value.status == 401


async def test_pull_request_files_follow_link_pages(gh: Any, app_client: GitHubClient) -> None:
    repo = gh.add_repo("acme", "shop")
    base = repo.commit({"README.md": "x\n"})
    head = repo.commit({f"migrations/{i:03}.sql": f"-- {i}\n" for i in range(250)}, parent=base)
    repo.open_pull(3, base, head)
    files = await app_client.pull_request_files("acme", "shop", 3)
    assert len(files) == 250 and files[0]["filename"] == "migrations/000.sql"
    pages = gh.recorded("GET", "/pulls/3/files")
    # the next pages come from Link headers, which use /repositories/{id}/...
    assert [r.path for r in pages] == [
        "/repos/acme/shop/pulls/3/files",
        f"/repositories/{repo.id}/pulls/3/files",
        f"/repositories/{repo.id}/pulls/3/files",
    ]
    assert [r.query.get("page") for r in pages] == [None, ["2"], ["3"]]


async def test_pagination_never_leaves_the_api_host(
    gh: Any, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = GitHubClient(http, gh.url, TokenCredentials(gh.add_personal_token()))
    with pytest.raises(GitHubError, match="off the API host"):
        await client.request("GET", "https://evil.example/steal")


async def test_contents_base64_with_newlines_404_and_raw_for_large_files(
    gh: Any, app_client: GitHubClient
) -> None:
    repo = gh.add_repo("acme", "shop")
    text = "".join(f"-- line {i} é\n" for i in range(50))
    large = "-- big\n" * 200_000  # 1.4 MB: the JSON has no content, the raw media type does
    sha = repo.commit({"db/schema.sql": text, "db/big.sql": large, "bin.dat": b"\xff\xfe"})
    assert await app_client.file_text("acme", "shop", "db/schema.sql", sha, max_bytes=10**7) == text
    assert (
        await app_client.file_text("acme", "shop", "db/missing.sql", sha, max_bytes=10**7) is None
    )
    assert await app_client.file_text("acme", "shop", "db/big.sql", sha, max_bytes=10**7) == large
    raw = gh.recorded("GET", "/contents/db/big.sql")
    assert [r.headers.get("accept") for r in raw] == [
        "application/vnd.github+json",
        "application/vnd.github.raw+json",
    ]
    with pytest.raises(FileUnavailableError, match="over the 1000000 limit"):
        await app_client.file_text("acme", "shop", "db/big.sql", sha, max_bytes=1_000_000)
    with pytest.raises(FileUnavailableError, match="not UTF-8"):
        await app_client.file_text("acme", "shop", "bin.dat", sha, max_bytes=10**7)
    with pytest.raises(FileUnavailableError, match="not a file"):
        await app_client.file_text("acme", "shop", "db", sha, max_bytes=10**7)


async def test_server_errors_and_rate_limits_are_retried(gh: Any, app_client: GitHubClient) -> None:
    repo = gh.add_repo("acme", "shop")
    sha = repo.commit({"a.txt": "a\n"})
    reset = str(int(time.time()) + 30)
    gh.fail_next("GET", "/contents/", 502)
    gh.fail_next("GET", "/contents/", 403, headers={"x-ratelimit-remaining": "0",
                                                    "x-ratelimit-reset": reset})  # fmt: skip
    gh.fail_next("GET", "/contents/", 429, headers={"retry-after": "7"})
    gh.fail_next("GET", "/contents/", 403, headers={"retry-after": "3"}, message="secondary")
    assert await app_client.file_text("acme", "shop", "a.txt", sha, max_bytes=100) == "a\n"
    assert [r.status for r in gh.recorded("GET", "/contents/")] == [502, 403, 429, 403, 200]
    assert SLEPT[0] < 5  # backoff after a 5xx
    assert 25 <= SLEPT[1] <= 32  # until x-ratelimit-reset
    assert SLEPT[2:] == [7.0, 3.0]  # retry-after


async def test_waits_too_long_for_the_worker_become_a_later_retry(
    gh: Any, http: httpx.AsyncClient
) -> None:
    repo = gh.add_repo("acme", "shop")
    sha = repo.commit({"a.txt": "a\n"})
    credentials = AppInstallationCredentials(gh.url, gh.app_id, gh.private_key_pem, 1)
    client = GitHubClient(http, gh.url, credentials, max_retry_wait=60, sleep=_no_sleep)
    gh.fail_next("GET", "/contents/", 429, headers={"retry-after": "600"})
    with pytest.raises(GitHubTransientError) as failure:
        await client.file_text("acme", "shop", "a.txt", sha, max_bytes=100)
    assert failure.value.retry_after == 600
    gh.fail_next("GET", "/contents/", 503, times=10)
    with pytest.raises(GitHubTransientError):
        await client.file_text("acme", "shop", "a.txt", sha, max_bytes=100)


async def test_a_plain_403_is_not_retried(gh: Any, app_client: GitHubClient) -> None:
    gh.add_repo("acme", "shop")
    gh.fail_next("GET", "/pulls/", 403, message="Resource not accessible by integration")
    with pytest.raises(GitHubError) as failure:
        await app_client.pull_request_files("acme", "shop", 1)
    assert failure.value.status == 403 and not failure.value.transient
    assert "Resource not accessible by integration" in failure.value.message


async def test_check_run_rules_of_github(gh: Any, app_client: GitHubClient) -> None:
    repo = gh.add_repo("acme", "shop")
    sha = repo.commit({"a.txt": "a\n"})
    with pytest.raises(GitHubError, match='"conclusion" wasn\'t supplied'):
        await app_client.create_check_run(
            "acme", "shop", {"name": "c", "head_sha": sha, "status": "completed"}
        )
    notes = [
        {"path": "a.txt", "start_line": 1, "end_line": 1, "annotation_level": "notice",
         "message": f"#{i}"}
        for i in range(51)
    ]  # fmt: skip
    with pytest.raises(GitHubError, match="No more than 50 items are allowed; 51 were supplied"):
        await app_client.create_check_run(
            "acme", "shop",
            {"name": "c", "head_sha": sha, "output": {"title": "t", "summary": "s",
                                                      "annotations": notes}},
        )  # fmt: skip
    run = await app_client.create_check_run(
        "acme", "shop",
        {"name": "c", "head_sha": sha, "output": {"title": "t", "summary": "s",
                                                  "annotations": notes[:50]}},
    )  # fmt: skip
    await app_client.update_check_run(
        "acme", "shop", run["id"],
        {"conclusion": "success", "output": {"title": "t", "summary": "s",
                                             "annotations": notes[50:]}},
    )  # fmt: skip
    assert [a["message"] for a in gh.annotations[run["id"]]] == [f"#{i}" for i in range(51)]
    assert gh.check_runs[run["id"]]["status"] == "completed"


async def test_a_personal_token_may_not_create_check_runs(gh: Any, http: httpx.AsyncClient) -> None:
    repo = gh.add_repo("acme", "shop")
    sha = repo.commit({"a.txt": "a\n"})
    client = GitHubClient(http, gh.url, TokenCredentials(gh.add_personal_token()))
    with pytest.raises(GitHubError) as failure:
        await client.create_check_run("acme", "shop", {"name": "c", "head_sha": sha})
    assert failure.value.status == 403
