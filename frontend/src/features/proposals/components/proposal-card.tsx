import { GitPullRequestArrow } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { useTokenClaims } from "@/components/layout/header";
import { StatusBadge } from "@/components/status-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime, pluralize } from "@/lib/format";
import type { Proposal } from "@/types/api";
import { answerableTeams } from "../lib/answers";
import { AnswerForm } from "./answer-form";
import { TeamAnswers } from "./team-answers";
import { VerdictSummary } from "./verdict-summary";

function policyLine(proposal: Proposal): string {
  const policy = proposal.policy;
  if (!policy) return "no change policy";
  const days = typeof policy.notice_days === "number" ? policy.notice_days : 14;
  const approval = policy.require_approval === true ? "every affected team must approve" : `publishable after ${days} days' notice without objection`;
  return `policy: ${approval}`;
}

/** One proposal: versions, verdict, each affected team's answer, the answer buttons for the
 * teams the token holds; `details` (the diff) is composed by the page, `actions` (publish,
 * withdraw) by the contract's proposals. */
export function ProposalCard({ proposal, details, actions, linkToContract = false }: { proposal: Proposal; details?: ReactNode; actions?: ReactNode; linkToContract?: boolean }) {
  const claims = useTokenClaims();
  const teams = answerableTeams(proposal, claims?.teams);
  const title = `${proposal.contract_name} ${proposal.base_version} → ${proposal.proposed_version}`;
  return (
    <Card data-testid="proposal-card" data-proposal={proposal.id} data-status={proposal.status}>
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          <GitPullRequestArrow className="size-4 text-muted-foreground" aria-hidden />
          {linkToContract ? (
            <Link className="hover:underline" to={`/contracts/${proposal.contract_id}?tab=proposals`}>
              {title}
            </Link>
          ) : (
            title
          )}
          <StatusBadge status={proposal.status} />
          {proposal.status === "open" && <StatusBadge status={proposal.verdict.publishable ? "pass" : "pending"} label={proposal.verdict.publishable ? "publishable" : "not publishable yet"} />}
        </CardTitle>
        <CardDescription className="space-y-1">
          <span className="block">
            Proposed by {proposal.proposed_by}, {formatDateTime(proposal.created_at)} · {pluralize(proposal.changes.length, "change")} · {policyLine(proposal)}
            {proposal.verdict.notice_ends_at && proposal.status === "open" && <> · notice ends {formatDateTime(proposal.verdict.notice_ends_at)}</>}
          </span>
          <span className="block text-foreground">
            <VerdictSummary summary={proposal.verdict.summary} />
          </span>
          {proposal.override && (
            <span className="block text-destructive">
              Published over the change policy by {proposal.override.by}
              {proposal.override.reason ? `: ${proposal.override.reason}` : ""}
            </span>
          )}
          {proposal.closed_at && (
            <span className="block">
              {proposal.status} {formatDateTime(proposal.closed_at)}
              {proposal.closed_by ? ` by ${proposal.closed_by}` : ""}
              {proposal.closed_reason ? `: ${proposal.closed_reason}` : ""}
            </span>
          )}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {actions}
        <TeamAnswers answers={proposal.answers} />
        {teams.length > 0 && <AnswerForm proposal={proposal} teams={teams} />}
        {details}
        {proposal.history.length > 0 && (
          <details className="text-sm">
            <summary className="cursor-pointer text-muted-foreground">Every answer ({proposal.history.length})</summary>
            <ol className="mt-2 space-y-1" data-testid="answer-history">
              {proposal.history.map((h, i) => (
                <li key={i}>
                  {formatDateTime(h.answered_at)} · <span className="font-medium">{h.team}</span> {h.answer} ({h.answered_by}){h.comment ? `: ${h.comment}` : ""}
                </li>
              ))}
            </ol>
          </details>
        )}
      </CardContent>
    </Card>
  );
}
