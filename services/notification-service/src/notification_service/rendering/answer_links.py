"""The approve and object links of a ``breaking_change_proposed`` e-mail, signed as it is
sent and never stored (docs/workflow.md "Answers", docs/security.md).

For each team the recipient answers for (``notifications.answer_for``, decided with the
recipients: recipients/answers.py) the e-mail gets an *Approve for <team>* and an *Object for
<team>* link: ``{DASHBOARD_URL}/api/v1/proposals/answer?token=<link>``, the dashboard
proxying that path to the contract-service, which asks to confirm and records the answer
once. A link is a :mod:`datapact_common.proposal_links` token held by ``link:<recipient>``
and lives until the proposal's notice ends, at most ``MAX_TTL`` from the sending. Once the
notice has ended (a retry that comes late) the e-mail goes without links: the command in it
still answers.

The block goes where the template left its marker (after *What to do*) in the HTML, and
before the *Open in DataPact* line in the text; an e-mail stored before the template had
the marker gets the block before ``</body>`` (the stored HTML escapes every outside string,
so the marker and the last ``</body>`` are the template's own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from datapact_common import proposal_links
from datapact_common.timeutil import utcnow
from notification_service.config import Settings
from notification_service.recipients.answers import AnswerRequest
from notification_service.rendering.renderer import environment

MARKER = "<!-- datapact:answer-links -->"
_TEXT_ANCHOR = "\nOpen in DataPact: "


@dataclass(frozen=True)
class TeamLinks:
    team: str
    approve: str
    object: str


def answer_url(dashboard_url: str, token: str) -> str:
    return f"{dashboard_url}/api/v1/proposals/answer?token={token}"


def sign_links(
    settings: Settings, request: AnswerRequest, address: str, *, now: datetime | None = None
) -> tuple[list[TeamLinks], datetime] | None:
    """One approve and one object link per team, and when they expire; None when the notice
    has ended already."""
    issued = now or utcnow()
    until = issued + proposal_links.MAX_TTL
    if request.notice_ends_at is not None and request.notice_ends_at < until:
        until = request.notice_ends_at
    if until <= issued:
        return None

    def url(team: str, answer: str) -> str:
        token = proposal_links.sign(
            settings.datapact_secret_key,
            request.proposal_id,
            team,
            answer,
            address,
            until=until,
            now=issued,
        )
        return answer_url(settings.dashboard_url, token)

    links = [
        TeamLinks(team=team, approve=url(team, "approved"), object=url(team, "objected"))
        for team in request.teams
    ]
    return links, until


def with_answer_links(
    settings: Settings,
    stored: object,
    address: str,
    text: str,
    html: str | None,
    *,
    now: datetime | None = None,
) -> tuple[str, str | None]:
    """``text`` and ``html`` with the answer links of ``stored`` (the notification's
    ``answer_for``) added; unchanged when it asks for none."""
    request = AnswerRequest.from_json(stored)
    if request is None:
        return text, html
    signed = sign_links(settings, request, address, now=now)
    if signed is None:
        return text, html
    links, until = signed
    context = {
        "links": links,
        "until": until,
        "notice_end": until == request.notice_ends_at,
        "address": address,
    }
    env = environment()
    block = env.get_template("email/_answer_links.txt").render(context).rstrip("\n")
    head, found, tail = text.rpartition(_TEXT_ANCHOR)
    if found:
        text = f"{head.rstrip()}\n\n{block}\n{found}{tail}"
    else:
        text = f"{text.rstrip()}\n\n{block}\n"
    if html is None:
        return text, None
    html_block = env.get_template("email/_answer_links.html").render(context)
    head, found, tail = html.rpartition(MARKER)
    if not found:
        head, found, tail = html.rpartition("</body>")
        if not found:
            return text, html + html_block
        return text, f"{head}{html_block}</body>{tail}"
    return text, f"{head}{html_block}{tail}"
