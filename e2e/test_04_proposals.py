"""A breaking change negotiated with the teams it breaks, on the whole platform (ordered
steps, docs/workflow.md).

1. *commerce* publishes ``wf_orders`` with a change policy (every affected team must
   approve); *finance* reads ``amount``, *bi* reads every field, *marketing* reads neither
   ``amount`` nor everything.
2. *commerce* proposes 2.0.0 without ``amount``: the publisher, *finance* and *bi* get the
   ``breaking_change_proposed`` e-mail once each; *marketing* nothing.
   The e-mails of *finance* and *bi* carry signed approve/object links for their team; the
   publisher's none.
3. *finance* approves with its token, *bi* objects with the object link of its e-mail (once:
   the link used again is 409); publishing is refused with 409 naming who is pending, then
   who objects — by the proposal's publish and by the plain ``PUT``.
4. *bi* withdraws its objection by approving; the publish goes through once (a second one
   is 409), and the teams the change breaks are told by one ``contract_updated`` e-mail each.
"""

from __future__ import annotations

import re
from collections import Counter
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest

from datapact_common import proposal_links
from datapact_common.tokens import Scope, create_token
from e2e.harness import SECRET, Stack, admin_headers, bearer, eventually

pytestmark = pytest.mark.incremental

CONTRACT = "wf_orders"
PUBLISHER = "commerce@example.com"
FINANCE = "finance@example.com"  # reads amount
BI = "bi@example.com"  # reads every field
MARKETING = "marketing@example.com"  # reads order_id and status only


def team_headers(team: str, sub: str) -> dict[str, str]:
    return bearer(create_token(SECRET, sub, teams=[team], scopes=[Scope.CONTRACTS_WRITE]))


COMMERCE = team_headers("commerce", "carla")
FINANCE_TOKEN = team_headers("finance", "fred")
BI_TOKEN = team_headers("bi", "bea")


def document(version: str = "1.0.0", *, amount: bool = True) -> dict[str, Any]:
    schema: list[dict[str, Any]] = [
        {"name": "order_id", "data_type": "uuid", "nullable": False, "is_primary_key": True},
        {"name": "status", "data_type": "string", "nullable": False},
        {"name": "amount", "data_type": "decimal", "nullable": False},
    ]
    finance_fields = ["order_id", "amount"] if amount else ["order_id"]
    return {
        "name": CONTRACT,
        "version": version,
        "description": "Orders of the web shop, negotiated end to end.",
        "publisher": {"team": "commerce", "owner": "carla", "contact_email": PUBLISHER},
        "schema": [f for f in schema if amount or f["name"] != "amount"],
        "change_policy": {"notice_days": 14, "require_approval": True},
        "subscribers": [
            {"team": "finance", "use_case": "Revenue", "fields_used": finance_fields,
             "contact_email": FINANCE},
            {"team": "bi", "use_case": "Everything", "fields_used": [], "contact_email": BI},
            {"team": "marketing", "use_case": "Funnels", "fields_used": ["order_id", "status"],
             "contact_email": MARKETING},
        ],
    }  # fmt: skip


@pytest.fixture(scope="module")
def story() -> dict[str, Any]:
    """What one step leaves for the next."""
    return {}


def sent(stack: Stack, address: str, event_type: str) -> list[dict[str, Any]]:
    return stack.sent_to(address, event_type, CONTRACT)


def one_email_each(stack: Stack, event_type: str, addresses: list[str]) -> None:
    """Each address got exactly one e-mail of ``event_type``, and the sink holds it once."""
    for address in addresses:

        def arrived(address: str = address) -> list[dict[str, Any]]:
            return sent(stack, address, event_type)

        notifications = eventually(
            arrived,
            f"the {event_type} e-mail to {address}",
            logs=lambda: stack.logs("notification-worker", "contract-worker"),
        )
        assert len(notifications) == 1, notifications
        emails = stack.emails_of(notifications)
        assert len(emails) == 1, [m["Subject"] for m in emails]
        assert CONTRACT in emails[0]["Subject"]


def answer_links(message: EmailMessage) -> dict[tuple[str, str], str]:
    """(team, answer) → the link, from the message's plain text."""
    part = message.get_body(("plain",))
    assert part is not None
    found = re.findall(r"(Approve|Object) for (\S+): (\S+)", part.get_content())
    return {
        (team, "approved" if verb == "Approve" else "objected"): url for verb, team, url in found
    }


def test_step1_a_contract_with_a_change_policy(stack: Stack, story: dict[str, Any]) -> None:
    with stack.client("contract-api") as api:
        created = api.post("/api/v1/contracts", json=document(), headers=COMMERCE)
        assert created.status_code == 201, created.text
        body = created.json()
    assert body["change_policy"] == {"notice_days": 14, "require_approval": True}
    story["id"] = body["id"]


def test_step2_the_proposal_reaches_the_affected_teams_once(
    stack: Stack, story: dict[str, Any]
) -> None:
    contract_id = story["id"]
    with stack.client("contract-api") as api:
        # Without a proposal the breaking PUT is refused, naming the teams it breaks.
        refused = api.put(
            f"/api/v1/contracts/{contract_id}",
            json=document("2.0.0", amount=False),
            headers=COMMERCE,
        )
        assert refused.status_code == 409, refused.text
        assert sorted(refused.json()["affected_teams"]) == ["bi", "finance"]
        proposed = api.post(
            f"/api/v1/contracts/{contract_id}/proposals",
            json=document("2.0.0", amount=False),
            headers=COMMERCE,
        )
        assert proposed.status_code == 201, proposed.text
    proposal = proposed.json()
    assert proposal["status"] == "open"
    assert (proposal["base_version"], proposal["proposed_version"]) == ("1.0.0", "2.0.0")
    assert sorted(proposal["affected_teams"]) == ["bi", "finance"]
    assert {a["team"]: a["answer"] for a in proposal["answers"]} == {
        "bi": "pending",
        "finance": "pending",
    }
    assert proposal["verdict"]["publishable"] is False
    story["proposal"] = proposal["id"]

    one_email_each(stack, "breaking_change_proposed", [PUBLISHER, FINANCE, BI])
    message = stack.mailbox.to(FINANCE)[0]
    text = message.get_body(("plain",))
    assert text is not None
    assert f"datapact proposal approve {proposal['id']} --team TEAM" in text.get_content()
    assert "field 'amount' removed" in text.get_content()
    assert stack.mailbox.to(MARKETING) == []
    assert stack.notifications(recipient=MARKETING, contract=CONTRACT) == []

    # Each affected team's contact gets its team's signed links; the publisher none.
    def proposal_mail(address: str) -> EmailMessage:
        [message] = stack.emails_of(sent(stack, address, "breaking_change_proposed"))
        return message

    assert answer_links(proposal_mail(PUBLISHER)) == {}
    for address, team in ((FINANCE, "finance"), (BI, "bi")):
        links = answer_links(proposal_mail(address))
        assert set(links) == {(team, "approved"), (team, "objected")}, links
        for (_, answer), url in links.items():
            assert url.startswith("http://127.0.0.1:3000/api/v1/proposals/answer?token=")
            link = proposal_links.verify(SECRET, url.split("token=", 1)[1])
            assert (str(link.proposal_id), link.team, link.answer) == (proposal["id"], team, answer)
            assert link.sub == f"link:{address}"
        story[f"links:{team}"] = links
    # signed as sent, never stored: the history's copies hold no link
    stored = stack.notifications(type="breaking_change_proposed", contract=CONTRACT)
    assert len(stored) == 3
    for n in stored:
        path = f"/api/v1/notifications/{n['id']}"
        kept = stack.get_json("notification-api", path, headers=admin_headers())
        assert "proposals/answer" not in f"{kept['body_text']}{kept['body_html'] or ''}"


def test_step3_one_approves_one_objects_and_the_publish_is_refused(
    stack: Stack, story: dict[str, Any]
) -> None:
    contract_id, proposal_id = story["id"], story["proposal"]
    base = f"/api/v1/proposals/{proposal_id}"
    with stack.client("contract-api") as api:
        # A token answers only for the teams it holds.
        forged = api.post(
            f"{base}/approve", json={"team": "bi", "comment": "sure"}, headers=FINANCE_TOKEN
        )
        assert forged.status_code == 403, forged.text

        approved = api.post(
            f"{base}/approve",
            json={"team": "finance", "comment": "We read net_amount since November."},
            headers=FINANCE_TOKEN,
        )
        assert approved.status_code == 200, approved.text
        early = api.post(f"{base}/publish", headers=COMMERCE)
        assert early.status_code == 409, early.text
        assert early.json()["pending"] == ["bi"], early.json()
        assert early.json()["approved"] == ["finance"]
        assert "`bi` pending" in early.json()["summary"]

    # bi objects from its e-mail: the link's path and query, as the dashboard proxies them
    # to the contract-service; no token, the link is the credential.
    link = urlsplit(story["links:bi"][("bi", "objected")])
    with stack.client("contract-api") as browser:
        page = browser.get(f"{link.path}?{link.query}")
        assert page.status_code == 200, page.text
        assert "Team bi: object to the breaking change of wf_orders" in page.text
        objected = browser.post(f"{link.path}?{link.query}")
        assert objected.status_code == 200, objected.text
        again = browser.post(f"{link.path}?{link.query}")
        assert again.status_code == 409, again.text
    latest = {a["team"]: a for a in objected.json()["answers"]}
    assert latest["bi"]["answered_by"] == f"link:{BI}"
    with stack.client("contract-api") as api:
        verdict = objected.json()["verdict"]
        assert (verdict["approved"], verdict["objected"], verdict["pending"]) == (
            ["finance"],
            ["bi"],
            [],
        )
        assert verdict["publishable"] is False

        refused = api.post(f"{base}/publish", headers=COMMERCE)
        assert refused.status_code == 409, refused.text
        body = refused.json()
        assert body["proposal_id"] == proposal_id
        assert body["publishable"] is False
        assert body["objected"] == ["bi"] and body["approved"] == ["finance"]
        assert "bi" in body["summary"]
        # The plain PUT of the proposed document is held by the same policy.
        put = api.put(
            f"/api/v1/contracts/{contract_id}",
            json=document("2.0.0", amount=False),
            headers=COMMERCE,
        )
        assert put.status_code == 409, put.text
        assert put.json()["objected"] == ["bi"]
        current = api.get(f"/api/v1/contracts/{contract_id}").json()
    assert current["version"] == "1.0.0"
    assert sent(stack, FINANCE, "contract_updated") == []


def test_step4_the_objection_withdrawn_the_version_is_published_and_told(
    stack: Stack, story: dict[str, Any]
) -> None:
    contract_id, proposal_id = story["id"], story["proposal"]
    base = f"/api/v1/proposals/{proposal_id}"
    with stack.client("contract-api") as api:
        approved = api.post(
            f"{base}/approve",
            json={"team": "bi", "comment": "The cube moved to net_amount."},
            headers=BI_TOKEN,
        )
        assert approved.status_code == 200, approved.text
        proposal = approved.json()
        assert proposal["verdict"]["publishable"] is True
        assert proposal["verdict"]["objected"] == []
        assert [(h["team"], h["answer"]) for h in proposal["history"]] == [
            ("finance", "approved"),
            ("bi", "objected"),
            ("bi", "approved"),
        ]

        published = api.post(f"{base}/publish", headers=COMMERCE)
        assert published.status_code == 200, published.text
        assert published.json()["version"] == "2.0.0"
        assert [f["name"] for f in published.json()["schema"]] == ["order_id", "status"]
        again = api.post(f"{base}/publish", headers=COMMERCE)
        assert again.status_code == 409, again.text

        final = api.get(base).json()
        assert final["status"] == "published"
        versions = api.get(f"/api/v1/contracts/{contract_id}/versions").json()["versions"]
    assert sorted(v["version"] for v in versions) == ["1.0.0", "2.0.0"]

    # The teams the removal breaks hear of the version once; the publisher too.
    one_email_each(stack, "contract_updated", [PUBLISHER, FINANCE, BI])
    updated_events = {
        n["event_id"] for n in stack.notifications(type="contract_updated", contract=CONTRACT)
    }
    assert len(updated_events) == 1, updated_events
    # No message went out twice, to anyone, over the whole story.
    counts = Counter(
        (rcpt, message["Message-ID"]) for rcpts, message in stack.mailbox.envelopes
        for rcpt in rcpts if CONTRACT in (message["Subject"] or "")
    )  # fmt: skip
    assert counts and max(counts.values()) == 1, counts
    per_address = Counter(rcpt for rcpt, _ in counts)
    assert per_address[FINANCE] == 2 and per_address[BI] == 2  # proposed + updated
    proposed_to_marketing = [
        n for n in stack.notifications(recipient=MARKETING, contract=CONTRACT)
        if n["event_type"] == "breaking_change_proposed"
    ]  # fmt: skip
    assert proposed_to_marketing == []
