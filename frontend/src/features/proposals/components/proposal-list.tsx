import { GitPullRequestArrow } from "lucide-react";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/empty-state";
import { TableSkeleton } from "@/components/layout/page-skeleton";
import { QueryError } from "@/components/query-error";
import { useTokenClaims } from "@/components/layout/header";
import type { Proposal } from "@/types/api";
import { useProposals } from "../api/get-proposals";
import { mineToAnswer } from "../lib/answers";
import { ProposalCard } from "./proposal-card";

export type ProposalView = "open" | "mine" | "history";

const EMPTY: Record<ProposalView, { title: string; text: ReactNode }> = {
  open: { title: "No open proposal", text: "Breaking versions of contracts with a change policy wait here for the teams they break." },
  mine: { title: "Nothing to answer", text: "No open proposal affects a team your API token holds." },
  history: { title: "No closed proposal yet", text: "Published, superseded, withdrawn and stale proposals keep their answers here." },
};

function Cards({ proposals, view }: { proposals: Proposal[]; view: ProposalView }) {
  if (proposals.length === 0) {
    return (
      <EmptyState icon={GitPullRequestArrow} title={EMPTY[view].title}>
        {EMPTY[view].text}
      </EmptyState>
    );
  }
  return (
    <div className="space-y-4" data-testid={`proposals-${view}`}>
      {proposals.map((p) => (
        <ProposalCard key={p.id} proposal={p} linkToContract />
      ))}
    </div>
  );
}

/** Open proposals, those the token's teams are asked to answer, or the closed ones. */
export function ProposalList({ view }: { view: ProposalView }) {
  const claims = useTokenClaims();
  const proposals = useProposals(view === "history" ? {} : { status: "open" });
  if (view === "mine" && !claims?.teams?.length) {
    return (
      <EmptyState icon={GitPullRequestArrow} title="No team in your API token">
        Set a token holding your team in Settings to answer the proposals that affect it.
      </EmptyState>
    );
  }
  if (proposals.isPending) return <TableSkeleton rows={4} />;
  if (proposals.isError) return <QueryError error={proposals.error} retry={() => void proposals.refetch()} what="the proposals" />;
  const all = proposals.data.proposals;
  const shown = view === "mine" ? mineToAnswer(all, claims?.teams) : view === "history" ? all.filter((p) => p.status !== "open") : all;
  return <Cards proposals={shown} view={view} />;
}
