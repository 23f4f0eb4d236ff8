import { GitPullRequestArrow } from "lucide-react";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/empty-state";
import { TableSkeleton } from "@/components/layout/page-skeleton";
import { QueryError } from "@/components/query-error";
import { StatusBadge } from "@/components/status-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import type { ContractDocument, Proposal } from "@/types/api";
import { useContractProposals } from "../api/get-contract-proposals";
import { useProposal } from "../api/get-proposal";
import { ProposalCard } from "./proposal-card";
import { VerdictSummary } from "./verdict-summary";

export type RenderDiff = (proposal: Proposal & { document: ContractDocument }) => ReactNode;

function OpenProposal({ proposal, renderDiff }: { proposal: Proposal; renderDiff: RenderDiff }) {
  const detail = useProposal(proposal.id);
  const document = detail.data?.document;
  const diff = detail.isError ? (
    <QueryError error={detail.error} retry={() => void detail.refetch()} what="the proposed document" />
  ) : document ? (
    renderDiff({ ...proposal, document })
  ) : (
    <Skeleton className="h-64" />
  );
  return <ProposalCard proposal={proposal} details={diff} />;
}

/** A contract's open proposals (with the diff the page renders) and the closed ones. */
export function ContractProposals({ contractId, renderDiff }: { contractId: string; renderDiff: RenderDiff }) {
  const proposals = useContractProposals(contractId);
  if (proposals.isPending) return <TableSkeleton rows={3} />;
  if (proposals.isError) return <QueryError error={proposals.error} retry={() => void proposals.refetch()} what="the proposals" />;
  const open = proposals.data.proposals.filter((p) => p.status === "open");
  const closed = proposals.data.proposals.filter((p) => p.status !== "open");
  return (
    <div className="space-y-6" data-testid="contract-proposals">
      {open.length === 0 ? (
        <EmptyState icon={GitPullRequestArrow} title="No open proposal">
          A breaking version of a contract with a change policy is proposed first (<code>datapact propose FILE</code>); the teams it breaks answer here.
        </EmptyState>
      ) : (
        open.map((p) => <OpenProposal key={p.id} proposal={p} renderDiff={renderDiff} />)
      )}
      {closed.length > 0 && (
        <Card className="p-2">
          <CardHeader>
            <CardTitle>Earlier proposals</CardTitle>
            <CardDescription>Published, superseded, withdrawn and stale proposals keep their answers.</CardDescription>
          </CardHeader>
          <CardContent>
            <Table data-testid="proposal-history">
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Version</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Answers</TableHead>
                  <TableHead>Proposed</TableHead>
                  <TableHead>Closed</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {closed.map((p) => (
                  <TableRow key={p.id}>
                    <TableCell className="font-mono">
                      {p.base_version} → {p.proposed_version}
                    </TableCell>
                    <TableCell>
                      <StatusBadge status={p.status} />
                    </TableCell>
                    <TableCell className="text-sm">
                      <VerdictSummary summary={p.verdict.summary} />
                    </TableCell>
                    <TableCell className="text-sm whitespace-nowrap">
                      {p.proposed_by}, {formatDateTime(p.created_at)}
                    </TableCell>
                    <TableCell className="text-sm whitespace-nowrap">{formatDateTime(p.closed_at)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
