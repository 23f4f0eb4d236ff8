"""`datapact propose` and `datapact proposal approve|object|show|withdraw|publish`: a
breaking change negotiated with the teams it breaks (docs/workflow.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import typer

from datapact_cli.client import RegistryClient
from datapact_cli.errors import EXIT_CODES_HELP, CliError, ExitCode
from datapact_cli.files import load_file
from datapact_cli.output import change_lines, reported
from datapact_cli.state import state

API = "/api/v1"

app = typer.Typer(
    help="Answer, read, withdraw or publish a change proposal.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

ProposalId = Annotated[str, typer.Argument(help="the proposal's id", metavar="ID")]
TeamOption = Annotated[
    str, typer.Option("--team", help="the affected team you answer for (your token holds it)")
]
CommentOption = Annotated[str | None, typer.Option("--comment", help="why (shown to everyone)")]
JsonOption = Annotated[bool, typer.Option("--json", help="print the proposal as JSON")]


def _post(client: RegistryClient, path: str, body: Any) -> dict[str, Any]:
    return client._json(client._request("POST", path, json=body))


def _get(client: RegistryClient, path: str) -> dict[str, Any]:
    return client._json(client._request("GET", path))


def proposal_lines(proposal: dict[str, Any]) -> list[str]:
    """A proposal as people read it: status, versions, each team's answer, the verdict."""
    verdict = proposal.get("verdict") or {}
    lines = [
        f"proposal {proposal['id']} ({proposal['status']}): {proposal['contract_name']} "
        f"{proposal['base_version']} -> {proposal['proposed_version']}, by "
        f"{proposal['proposed_by']}",
        f"{verdict.get('summary', '')}; "
        + ("publishable" if verdict.get("publishable") else "not publishable")
        + f": {verdict.get('reason', '')}",
    ]
    if verdict.get("notice_ends_at"):
        lines.append(f"notice period ends {verdict['notice_ends_at']}")
    if proposal.get("superseded_by"):
        lines.append(f"superseded by proposal {proposal['superseded_by']}")
    if proposal.get("override"):
        override = proposal["override"]
        lines.append(f"published over the policy by {override['by']}: {override['reason']}")
    lines.append("teams:")
    for answer in proposal.get("answers") or []:
        comment = f': "{answer["comment"]}"' if answer.get("comment") else ""
        by = f" ({answer['answered_by']})" if answer.get("answered_by") else ""
        lines.append(f"  {answer['team']:<20} {answer['answer']}{by}{comment}")
    changes = [c for c in proposal.get("changes") or [] if c.get("severity") == "breaking"]
    if changes:
        lines.append("breaking changes:")
        lines.extend(f"  {line}" for line in change_lines(changes))
    return lines


def _print(proposal: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(proposal, indent=2, sort_keys=True))
    else:
        typer.echo("\n".join(proposal_lines(proposal)))


def propose(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="the contract file with the new version")],
    as_json: JsonOption = False,
) -> None:
    """Propose FILE's breaking version to the teams it affects instead of publishing it.

    The registry stores the proposal, tells the affected teams once, and publishes the
    version only when the contract's change policy holds (`datapact proposal publish ID`).
    A later proposal for the same contract supersedes this one.
    """
    contracts = load_file(file, quiet=True)
    if len(contracts) != 1:
        raise CliError(f"{file}: propose one contract per file", ExitCode.USAGE)
    [contract] = contracts
    with state(ctx).client() as client:
        registered = client.get_by_name(contract.name)
        if registered is None:
            raise CliError(
                f"contract '{contract.name}' is not in the registry: push it first",
                ExitCode.NOT_FOUND,
            )
        proposal = _post(
            client, f"{API}/contracts/{registered['id']}/proposals", contract.to_document()
        )
    _print(proposal, as_json)


def _answer(
    ctx: typer.Context, proposal_id: str, verb: str, team: str, comment: str | None
) -> None:
    with state(ctx).client() as client:
        proposal = _post(
            client,
            f"{API}/proposals/{quote(proposal_id, safe='')}/{verb}",
            {"team": team, "comment": comment},
        )
    _print(proposal, False)


@app.command("approve", epilog=EXIT_CODES_HELP)
@reported
def approve(
    ctx: typer.Context, proposal_id: ProposalId, team: TeamOption, comment: CommentOption = None
) -> None:
    """Approve proposal ID for TEAM (approving after an objection withdraws it)."""
    _answer(ctx, proposal_id, "approve", team, comment)


@app.command("object", epilog=EXIT_CODES_HELP)
@reported
def object_to(
    ctx: typer.Context, proposal_id: ProposalId, team: TeamOption, comment: CommentOption = None
) -> None:
    """Object to proposal ID for TEAM, saying why."""
    _answer(ctx, proposal_id, "object", team, comment)


@app.command("show", epilog=EXIT_CODES_HELP)
@reported
def show(ctx: typer.Context, proposal_id: ProposalId, as_json: JsonOption = False) -> None:
    """Show proposal ID: each affected team's answer and whether it may be published."""
    with state(ctx).client() as client:
        proposal = _get(client, f"{API}/proposals/{quote(proposal_id, safe='')}")
    _print(proposal, as_json)


@app.command("withdraw", epilog=EXIT_CODES_HELP)
@reported
def withdraw(ctx: typer.Context, proposal_id: ProposalId) -> None:
    """Withdraw proposal ID (the publisher team or an admin); its history is kept."""
    with state(ctx).client() as client:
        proposal = _post(client, f"{API}/proposals/{quote(proposal_id, safe='')}/withdraw", {})
    _print(proposal, False)


@app.command("publish", epilog=EXIT_CODES_HELP)
@reported
def publish(
    ctx: typer.Context,
    proposal_id: ProposalId,
    override: Annotated[
        str | None,
        typer.Option(
            "--override",
            metavar="REASON",
            help="admins: publish although the policy does not hold (recorded and announced)",
        ),
    ] = None,
) -> None:
    """Publish proposal ID's version when the change policy holds."""
    body: dict[str, Any] = {"override": True, "reason": override} if override else {}
    with state(ctx).client() as client:
        contract = _post(client, f"{API}/proposals/{quote(proposal_id, safe='')}/publish", body)
    typer.echo(f"published {contract['name']} {contract['version']}")
