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
import { useTokenClaims } from "@/components/layout/header";
import type { Contract, ContractDocument, Proposal } from "@/types/api";
import { useContractProposals } from "../api/get-contract-proposals";
import { useProposal } from "../api/get-proposal";
import { isAdmin, mayPublish } from "../lib/publishing";
import { ProposalCard } from "./proposal-card";
import { ProposeChange } from "./propose-change";
import { PublisherActions } from "./publisher-actions";
import { VerdictSummary } from "./verdict-summary";

export type RenderDiff = (proposal: Proposal & { document: ContractDocument }) => ReactNode;

function OpenProposal({ proposal, renderDiff, actions }: { proposal: Proposal; renderDiff: RenderDiff; actions?: ReactNode }) {
  const detail = useProposal(proposal.id);
  const document = detail.data?.document;
  const diff = detail.isError ? (
    <QueryError error={detail.error} retry={() => void detail.refetch()} what="the proposed document" />
  ) : document ? (
    renderDiff({ ...proposal, document })
  ) : (
    <Skeleton className="h-64" />
  );
  return <ProposalCard proposal={proposal} details={diff} actions={actions} />;
}

interface Props {
  contractId: string;
  contractName: string;
  /** the contract's publisher team: its tokens (and admins) propose, withdraw and publish */
  publisherTeam: string;
  /** the current version as YAML, where a new proposal starts */
  currentYaml: string;
  renderDiff: RenderDiff;
  /** after a proposal is published: the page refreshes the contract it shows */
  onPublished?: (contract: Contract) => unknown;
}

/** A contract's open proposals (with the diff the page renders) and the closed ones; for its
 * publisher team, "Propose a change", and publish or withdraw on the open one. */
export function ContractProposals({ contractId, contractName, publisherTeam, currentYaml, renderDiff, onPublished }: Props) {
  const claims = useTokenClaims();
  const publisher = mayPublish(claims, publisherTeam);
  const proposals = useContractProposals(contractId);
  if (proposals.isPending) return <TableSkeleton rows={3} />;
  if (proposals.isError) return <QueryError error={proposals.error} retry={() => void proposals.refetch()} what="the proposals" />;
  const open = proposals.data.proposals.filter((p) => p.status === "open");
  const closed = proposals.data.proposals.filter((p) => p.status !== "open");
  return (
    <div className="space-y-6" data-testid="contract-proposals">
      {publisher && (
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-muted-foreground">
            {open.length > 0 ? "A new proposal supersedes the open one." : "A breaking version of a contract with a change policy is proposed first; the teams it breaks answer here."}
          </p>
          <ProposeChange contractId={contractId} contractName={contractName} currentYaml={currentYaml} />
        </div>
      )}
      {open.length === 0 ? (
        <EmptyState icon={GitPullRequestArrow} title="No open proposal">
          A breaking version of a contract with a change policy is proposed first (<code>datapact propose FILE</code>
          {publisher ? " or Propose a change above" : ""}); the teams it breaks answer here.
        </EmptyState>
      ) : (
        open.map((p) => (
          <OpenProposal
            key={p.id}
            proposal={p}
            renderDiff={renderDiff}
            actions={publisher ? <PublisherActions proposal={p} admin={isAdmin(claims)} onPublished={onPublished} /> : undefined}
          />
        ))
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
