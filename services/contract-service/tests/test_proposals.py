"""Change proposals: a breaking change negotiated with the teams it breaks (docs/workflow.md).

Through the API over ASGI, on the real test database; the parallel clients run against a
real uvicorn process.
"""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from datapact_common import proposal_links
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.timeutil import utcnow
from datapact_testing.processes import ServiceProcess
from datapact_testing.tokens import bearer, publisher_token

Doc = dict[str, Any]

FINANCE = bearer(publisher_token("finance", sub="fiona"))
ANALYTICS = bearer(publisher_token("analytics", sub="anna"))
MARKETING = bearer(publisher_token("marketing", sub="mark"))


def ledger(policy: Doc | None = None, **extra: Any) -> Doc:
    """Team commerce's contract: finance reads `total`, marketing `email`, analytics all."""
    document: Doc = {
        "name": "ledger",
        "version": "1.0.0",
        "description": "Ledger entries",
        "publisher": {"team": "commerce", "owner": "ledger-service"},
        "schema": [
            {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True},
            {"name": "total", "data_type": "decimal", "nullable": False},
            {"name": "email", "data_type": "string"},
            {"name": "note", "data_type": "string"},
        ],
        "subscribers": [
            {"team": "finance", "fields_used": ["id", "total"]},
            {"team": "marketing", "fields_used": ["email"]},
            {"team": "analytics", "fields_used": []},
        ],
        **extra,
    }
    if policy is not None:
        document["change_policy"] = policy
    return document


def without(document: Doc, field: str, version: str = "2.0.0") -> Doc:
    changed = copy.deepcopy(document)
    changed["schema"] = [f for f in changed["schema"] if f["name"] != field]
    for sub in changed["subscribers"]:
        sub["fields_used"] = [f for f in sub["fields_used"] if f != field]
    changed["version"] = version
    return changed


def events(sql: Any, event_type: str) -> list[Doc]:
    rows = sql(
        "SELECT envelope FROM event_outbox WHERE event_type = %s ORDER BY created_at",
        event_type,
    )
    return [row[0] for row in rows]


@pytest.fixture
async def setup(client: httpx.AsyncClient, commerce: dict[str, str]) -> Any:
    async def make(policy: Doc | None = None, **extra: Any) -> tuple[str, Doc]:
        document = ledger(policy, **extra)
        created = await client.post("/api/v1/contracts", json=document, headers=commerce)
        assert created.status_code == 201, created.text
        return created.json()["id"], document

    return make


async def propose(
    client: httpx.AsyncClient, contract_id: str, document: Doc, headers: dict[str, str]
) -> Doc:
    response = await client.post(
        f"/api/v1/contracts/{contract_id}/proposals", json=document, headers=headers
    )
    assert response.status_code == 201, response.text
    body: Doc = response.json()
    return body


async def answer(
    client: httpx.AsyncClient,
    proposal_id: str,
    verb: str,
    team: str,
    headers: dict[str, str],
    comment: str | None = None,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/proposals/{proposal_id}/{verb}",
        json={"team": team, "comment": comment},
        headers=headers,
    )


async def test_without_a_policy_a_breaking_change_is_published_as_today(
    client: httpx.AsyncClient, setup: Any, commerce: dict[str, str], sql: Any
) -> None:
    contract_id, document = await setup()
    response = await client.put(
        f"/api/v1/contracts/{contract_id}", json=without(document, "total"), headers=commerce
    )
    assert response.status_code == 200, response.text
    assert response.json()["version"] == "2.0.0"


async def test_approval_policy_negotiates_the_change_with_the_affected_teams(
    client: httpx.AsyncClient,
    setup: Any,
    commerce: dict[str, str],
    sql: Any,
) -> None:
    contract_id, document = await setup({"notice_days": 14, "require_approval": True})
    proposed = without(document, "total")
    refused = await client.put(f"/api/v1/contracts/{contract_id}", json=proposed, headers=commerce)
    assert refused.status_code == 409, refused.text
    assert refused.json()["affected_teams"] == ["analytics", "finance"]
    assert "proposal" in refused.json()["detail"]

    proposal = await propose(client, contract_id, proposed, commerce)
    assert (proposal["status"], proposal["base_version"], proposal["proposed_version"]) == (
        "open", "1.0.0", "2.0.0",
    )  # fmt: skip
    assert proposal["affected_teams"] == ["analytics", "finance"]
    assert [a["answer"] for a in proposal["answers"]] == ["pending", "pending"]
    assert (
        proposal["verdict"]["summary"]
        == "0 of 2 affected teams approved; `analytics`, `finance` pending"
    )
    assert proposal["document"]["version"] == "2.0.0"
    pid = proposal["id"]
    [event] = events(sql, "breaking_change_proposed")
    assert event["payload"]["proposal"]["id"] == pid
    assert event["payload"]["affected_subscribers"] == ["analytics", "finance"]
    assert event["payload"]["fields"] == ["total"]

    # Bad input: a team the token does not hold, a team the change does not affect.
    assert (await answer(client, pid, "approve", "finance", MARKETING)).status_code == 403
    unaffected = await answer(client, pid, "approve", "marketing", MARKETING)
    assert unaffected.status_code == 422, unaffected.text

    approved = await answer(client, pid, "approve", "finance", FINANCE, "fine by us")
    assert approved.status_code == 200, approved.text
    assert (
        approved.json()["verdict"]["summary"]
        == "1 of 2 affected teams approved; `analytics` pending"
    )
    objected = await answer(client, pid, "object", "analytics", ANALYTICS, "our dashboards")
    assert objected.status_code == 200

    blocked = await client.put(f"/api/v1/contracts/{contract_id}", json=proposed, headers=commerce)
    assert blocked.status_code == 409
    assert blocked.json()["objected"] == ["analytics"]
    assert blocked.json()["proposal_id"] == pid
    assert "analytics" in blocked.json()["detail"]

    # The objection withdrawn: analytics approves; the PUT publishes.
    assert (await answer(client, pid, "approve", "analytics", ANALYTICS)).status_code == 200
    published = await client.put(
        f"/api/v1/contracts/{contract_id}", json=proposed, headers=commerce
    )
    assert published.status_code == 200, published.text
    assert published.json()["version"] == "2.0.0"

    final = (await client.get(f"/api/v1/proposals/{pid}")).json()
    assert final["status"] == "published" and final["closed_by"] == "alice"
    assert [(h["team"], h["answer"]) for h in final["history"]] == [
        ("finance", "approved"), ("analytics", "objected"), ("analytics", "approved"),
    ]  # fmt: skip
    late = await answer(client, pid, "object", "finance", FINANCE)
    assert late.status_code == 409 and "published" in late.json()["detail"]
    assert len(events(sql, "breaking_change_proposed")) == 1
    assert len(events(sql, "contract_updated")) == 1


async def test_the_notice_period_alone_is_enough_without_an_objection(
    client: httpx.AsyncClient, setup: Any, commerce: dict[str, str]
) -> None:
    contract_id, document = await setup({"notice_days": 0, "require_approval": False})
    proposed = without(document, "email")
    proposal = await propose(client, contract_id, proposed, commerce)
    assert proposal["affected_teams"] == ["analytics", "marketing"]
    assert proposal["verdict"]["publishable"] is True
    assert await answer(client, proposal["id"], "object", "marketing", MARKETING) is not None
    url = f"/api/v1/proposals/{proposal['id']}/publish"
    refused = await client.post(url, headers=commerce)
    assert refused.status_code == 409 and refused.json()["objected"] == ["marketing"]
    assert (
        await answer(client, proposal["id"], "approve", "marketing", MARKETING)
    ).status_code == 200
    published = await client.post(url, headers=commerce)
    assert published.status_code == 200, published.text
    assert published.json()["version"] == "2.0.0"
    again = await client.post(url, headers=commerce)
    assert again.status_code == 409 and "published" in again.json()["detail"]


async def test_a_later_proposal_supersedes_the_earlier_and_each_is_told_once(
    client: httpx.AsyncClient, setup: Any, commerce: dict[str, str], sql: Any
) -> None:
    contract_id, document = await setup({"require_approval": True})
    first = await propose(client, contract_id, without(document, "total"), commerce)
    second = await propose(client, contract_id, without(document, "email"), commerce)
    earlier = (await client.get(f"/api/v1/proposals/{first['id']}")).json()
    assert (earlier["status"], earlier["superseded_by"]) == ("superseded", second["id"])
    late = await answer(client, first["id"], "approve", "finance", FINANCE)
    assert late.status_code == 409 and "superseded" in late.json()["detail"]
    told = events(sql, "breaking_change_proposed")
    assert [e["payload"]["proposal"]["id"] for e in told] == [first["id"], second["id"]]
    assert told[1]["payload"]["proposal"]["supersedes"] == first["id"]
    listed = (await client.get(f"/api/v1/contracts/{contract_id}/proposals")).json()
    assert [p["status"] for p in listed["proposals"]] == ["open", "superseded"]
    only_open = await client.get(f"/api/v1/contracts/{contract_id}/proposals?status=open")
    assert [p["id"] for p in only_open.json()["proposals"]] == [second["id"]]
    mine = await client.get("/api/v1/proposals?status=open&team=marketing")
    assert [p["id"] for p in mine.json()["proposals"]] == [second["id"]]


async def test_a_proposal_whose_base_moved_on_is_stale(
    client: httpx.AsyncClient, setup: Any, commerce: dict[str, str]
) -> None:
    contract_id, document = await setup({"require_approval": True})
    proposal = await propose(client, contract_id, without(document, "total"), commerce)
    minor = {**document, "version": "1.1.0", "description": "Ledger entries, all of them"}
    assert (
        await client.put(f"/api/v1/contracts/{contract_id}", json=minor, headers=commerce)
    ).status_code == 200
    stale = (await client.get(f"/api/v1/proposals/{proposal['id']}")).json()
    assert stale["status"] == "stale"
    refused = await answer(client, proposal["id"], "approve", "finance", FINANCE)
    assert refused.status_code == 409 and "stale" in refused.json()["detail"]


async def test_withdraw_keeps_the_history(
    client: httpx.AsyncClient, setup: Any, commerce: dict[str, str]
) -> None:
    contract_id, document = await setup({"require_approval": True})
    proposal = await propose(client, contract_id, without(document, "total"), commerce)
    url = f"/api/v1/proposals/{proposal['id']}/withdraw"
    assert (await answer(client, proposal["id"], "object", "finance", FINANCE)).status_code == 200
    assert (await client.post(url, headers=FINANCE)).status_code == 403
    withdrawn = await client.post(url, headers=commerce)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert (await client.post(url, headers=commerce)).status_code == 409
    assert (await answer(client, proposal["id"], "approve", "finance", FINANCE)).status_code == 409
    body = (await client.get(f"/api/v1/proposals/{proposal['id']}")).json()
    assert [h["answer"] for h in body["history"]] == ["objected"]


async def test_admin_override_is_recorded_and_announced(
    client: httpx.AsyncClient,
    setup: Any,
    commerce: dict[str, str],
    admin: dict[str, str],
    sql: Any,
) -> None:
    contract_id, document = await setup({"require_approval": True})
    proposal = await propose(client, contract_id, without(document, "total"), commerce)
    url = f"/api/v1/proposals/{proposal['id']}/publish"
    denied = await client.post(url, json={"override": True, "reason": "x"}, headers=commerce)
    assert denied.status_code == 403
    no_reason = await client.post(url, json={"override": True}, headers=admin)
    assert no_reason.status_code == 422
    done = await client.post(
        url, json={"override": True, "reason": "regulator deadline"}, headers=admin
    )
    assert done.status_code == 200, done.text
    body = (await client.get(f"/api/v1/proposals/{proposal['id']}")).json()
    assert body["status"] == "published"
    assert body["override"] == {"by": "root", "reason": "regulator deadline"}
    [event] = events(sql, "contract_updated")
    assert "over the change policy by root" in event["title"]
    assert event["payload"]["override"]["pending"] == ["analytics", "finance"]
    assert event["payload"]["override"]["reason"] == "regulator deadline"


async def test_bad_proposals(
    client: httpx.AsyncClient, setup: Any, commerce: dict[str, str], other_team: dict[str, str]
) -> None:
    contract_id, document = await setup({"require_approval": True})
    url = f"/api/v1/contracts/{contract_id}/proposals"
    assert (
        await client.post(url, json=without(document, "total"), headers=other_team)
    ).status_code == 403
    same = await client.post(url, json=document, headers=commerce)
    assert same.status_code == 422 and "nothing to propose" in same.json()["detail"]
    harmless = {**document, "version": "1.0.1", "description": "typo fixed"}
    assert (await client.post(url, json=harmless, headers=commerce)).status_code == 422
    too_small = await client.post(url, json=without(document, "total", "1.1.0"), headers=commerce)
    assert too_small.status_code == 409 and too_small.json()["required_bump"] == "major"
    missing = "/api/v1/proposals/00000000-0000-0000-0000-000000000000"
    assert (await client.get(missing)).status_code == 404
    assert (
        await answer(client, missing.rsplit("/", 1)[1], "approve", "finance", FINANCE)
    ).status_code == 404
    assert (
        await client.post(
            f"/api/v1/proposals/{missing.rsplit('/', 1)[1]}/approve",
            json={"team": ""},
            headers=FINANCE,
        )
    ).status_code == 422


async def test_a_field_past_its_sunset_is_removed_without_approval(
    client: httpx.AsyncClient, setup: Any, commerce: dict[str, str]
) -> None:
    past = (date.today() - timedelta(days=1)).isoformat()
    future = (date.today() + timedelta(days=30)).isoformat()
    contract_id, document = await setup({"require_approval": True})
    document["schema"][2]["deprecated"] = {"sunset": past, "replacement": "note"}
    document["schema"][1]["deprecated"] = {"sunset": future}
    document["version"] = "1.1.0"
    url = f"/api/v1/contracts/{contract_id}"
    assert (await client.put(url, json=document, headers=commerce)).status_code == 200
    after_sunset = await client.put(url, json=without(document, "email"), headers=commerce)
    assert after_sunset.status_code == 200, after_sunset.text
    before_sunset = await client.put(
        url, json=without(without(document, "email"), "total", "3.0.0"), headers=commerce
    )
    assert before_sunset.status_code == 409
    # marketing's fields_used lost its only field with `email`: empty means every field.
    assert before_sunset.json()["affected_teams"] == ["analytics", "finance", "marketing"]


async def test_parallel_answers_and_publishes_never_lose_an_answer_or_publish_twice(
    api_server: ServiceProcess,
    clean_db: str,
    commerce: dict[str, str],
    sql: Any,
) -> None:
    document = ledger({"require_approval": True})
    document["subscribers"].append({"team": "risk", "fields_used": ["total"]})
    document["subscribers"].append({"team": "audit", "fields_used": ["total"]})
    teams = {
        "finance": FINANCE,
        "analytics": ANALYTICS,
        "risk": bearer(publisher_token("risk", sub="rita")),
        "audit": bearer(publisher_token("audit", sub="aude")),
    }
    async with httpx.AsyncClient(base_url=api_server.base_url, timeout=60) as client:
        created = await client.post("/api/v1/contracts", json=document, headers=commerce)
        assert created.status_code == 201, created.text
        contract_id = created.json()["id"]
        proposal = await propose(client, contract_id, without(document, "total"), commerce)
        pid = proposal["id"]
        assert proposal["affected_teams"] == sorted(teams)
        publish = f"/api/v1/proposals/{pid}/publish"
        put = f"/api/v1/contracts/{contract_id}"
        calls = [answer(client, pid, "approve", team, headers) for team, headers in teams.items()]
        calls += [client.post(publish, headers=commerce) for _ in range(6)]
        calls += [
            client.put(put, json=without(document, "total"), headers=commerce) for _ in range(6)
        ]
        responses = await asyncio.gather(*calls)
        answers, publishes = responses[: len(teams)], responses[len(teams) :]
        assert [r.status_code for r in answers] == [200] * len(teams), [r.text for r in answers]
        statuses = Counter(r.status_code for r in publishes)
        assert set(statuses) <= {200, 409}, [r.text for r in publishes]
        if not any(r.status_code == 200 for r in publishes):
            last = await client.post(publish, headers=commerce)
            assert last.status_code == 200, last.text
        final = (await client.get(f"/api/v1/proposals/{pid}")).json()
    assert final["status"] == "published"
    assert sorted(h["team"] for h in final["history"]) == sorted(teams)
    assert sql("SELECT version FROM contract_versions ORDER BY created_at") == [
        ("1.0.0",),
        ("2.0.0",),
    ]
    assert len(events(sql, "contract_updated")) == 1


def test_verdict_follows_the_clock() -> None:
    from contract_service.proposals.policy import verdict
    from datapact_common.contract_schema import ChangePolicy

    start = utcnow()
    policy = ChangePolicy(notice_days=14)
    teams = ["finance", "marketing"]
    waiting = verdict(policy, teams, {"finance": "approved"}, start, start + timedelta(days=13))
    assert not waiting.publishable and waiting.pending == ["marketing"]
    assert waiting.summary == "1 of 2 affected teams approved; `marketing` pending"
    passed = verdict(policy, teams, {"finance": "approved"}, start, start + timedelta(days=14))
    assert passed.publishable and "notice period ended" in passed.reason
    objected = verdict(policy, teams, {"marketing": "objected"}, start, start + timedelta(days=99))
    assert not objected.publishable and objected.objected == ["marketing"]
    strict = ChangePolicy(notice_days=0, require_approval=True)
    assert not verdict(strict, teams, {}, start, start + timedelta(days=99)).publishable
    everyone = {"finance": "approved", "marketing": "approved"}
    assert verdict(strict, teams, everyone, start, start).publishable


async def test_the_end_of_a_notice_period_is_seen_once(
    client: httpx.AsyncClient, setup: Any, commerce: dict[str, str]
) -> None:
    """The hourly notice sweep (a clock of the test's own) marks it and queues a new check
    of the pull requests that showed the proposal."""
    from contract_service.database import task_session
    from contract_service.proposals.service import notice_sweep

    contract_id, document = await setup({"notice_days": 14})
    proposal = await propose(client, contract_id, without(document, "total"), commerce)
    created = datetime.fromisoformat(proposal["created_at"])

    async def sweep(at: datetime) -> list[str]:
        async with task_session() as session:
            return [str(c) for c in await notice_sweep(session, at)]

    assert await sweep(created + timedelta(days=13)) == []
    assert await sweep(created + timedelta(days=14)) == [contract_id]
    assert await sweep(created + timedelta(days=15)) == []  # seen once


# The signed single-use link of the e-mail: GET shows what it answers and changes nothing,
# POST answers once.
LINK_URL = "/api/v1/proposals/answer"


def link(proposal_id: str, team: str, answer: str = "approved", **kwargs: Any) -> str:
    return proposal_links.sign(
        DEVELOPMENT_SECRET, uuid.UUID(proposal_id), team, answer, f"{team}@corp.example", **kwargs
    )


async def open_proposal(client: httpx.AsyncClient, commerce: dict[str, str]) -> str:
    document = ledger({"notice_days": 14, "require_approval": True})
    created = await client.post("/api/v1/contracts", json=document, headers=commerce)
    assert created.status_code == 201, created.text
    proposal = await propose(client, created.json()["id"], without(document, "total"), commerce)
    return str(proposal["id"])


async def test_a_link_answers_for_its_team_once(
    client: httpx.AsyncClient, commerce: dict[str, str], sql: Any
) -> None:
    pid = await open_proposal(client, commerce)
    token = link(pid, "finance", "objected")

    page = await client.get(LINK_URL, params={"token": token})
    assert page.status_code == 200, page.text
    assert "Team finance: object to the breaking change of ledger 1.0.0 -&gt; 2.0.0" in page.text
    assert 'method="post"' in page.text
    assert sql("SELECT count(*) FROM proposal_answers") == [(0,)]  # a GET changes nothing
    assert (await client.get(LINK_URL, params={"token": token})).status_code == 200

    answered = await client.post(LINK_URL, params={"token": token})
    assert answered.status_code == 200, answered.text
    latest = {a["team"]: a for a in answered.json()["answers"]}
    assert latest["finance"]["answer"] == "objected"
    assert latest["finance"]["answered_by"] == "link:finance@corp.example"
    assert latest["analytics"]["answer"] == "pending"
    assert sql("SELECT team FROM proposal_link_uses") == [("finance",)]

    again = await client.post(LINK_URL, params={"token": token})
    assert again.status_code == 409
    assert "used already" in again.json()["detail"]
    assert (await client.get(LINK_URL, params={"token": token})).status_code == 409
    assert sql("SELECT count(*) FROM proposal_answers") == [(1,)]

    # Another link of the same team (the approve one) still answers: the latest counts.
    approved = await client.post(LINK_URL, params={"token": link(pid, "finance")})
    assert {a["team"]: a["answer"] for a in approved.json()["answers"]}["finance"] == "approved"


async def test_expired_forged_and_foreign_links_are_refused(
    client: httpx.AsyncClient, commerce: dict[str, str], sql: Any
) -> None:
    pid = await open_proposal(client, commerce)
    past = utcnow() - timedelta(days=20)
    expired = link(pid, "finance", now=past)
    response = await client.post(LINK_URL, params={"token": expired})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]

    # The team is signed: changing it breaks the signature.
    claims = jwt.decode(link(pid, "finance"), options={"verify_signature": False})
    forged = jwt.encode(
        {**claims, "team": "analytics"}, "not-the-platform-secret-" * 2, algorithm="HS256"
    )
    response = await client.post(LINK_URL, params={"token": forged})
    assert response.status_code == 401
    assert "signature" in response.json()["detail"].lower()

    # An API token is no link, whatever it holds.
    api_token = publisher_token("finance", sub="fiona")
    response = await client.post(LINK_URL, params={"token": api_token})
    assert response.status_code == 401
    assert "not a proposal answer link" in response.json()["detail"]

    # A team the change does not affect, and a proposal no longer open.
    assert (
        await client.post(LINK_URL, params={"token": link(pid, "marketing")})
    ).status_code == 409
    withdrawn = await client.post(f"/api/v1/proposals/{pid}/withdraw", headers=commerce)
    assert withdrawn.status_code == 200, withdrawn.text
    closed = await client.post(LINK_URL, params={"token": link(pid, "finance")})
    assert closed.status_code == 409
    assert "withdrawn" in closed.json()["detail"]
    assert (await client.get(LINK_URL, params={"token": "garbage"})).status_code == 401
    # A bearer token sent along is checked as on every route.
    bad = bearer(jwt.encode({"sub": "x"}, "wrong-secret-" * 4, algorithm="HS256"))
    assert (await client.get(LINK_URL, params={"token": expired}, headers=bad)).status_code == 401
    assert sql("SELECT count(*) FROM proposal_answers") == [(0,)]


def test_a_link_lives_until_the_notice_ends_and_at_most_14_days() -> None:
    now = utcnow()
    pid = str(uuid.uuid4())
    capped = jwt.decode(link(pid, "t", now=now), options={"verify_signature": False})
    assert capped["exp"] - capped["iat"] == 14 * 86400
    assert capped["aud"] == "datapact:proposal-link"
    short = link(pid, "t", now=now, until=now + timedelta(days=2))
    claims = jwt.decode(short, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 2 * 86400
    assert claims["jti"] != capped["jti"]
