import { CheckCircle2 } from "lucide-react";
import { Link } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { QueryError } from "@/components/query-error";
import { StatusBadge } from "@/components/status-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { TableSkeleton } from "@/components/layout/page-skeleton";
import { timeAgo } from "@/lib/format";
import { useComplianceSummary } from "../api/get-compliance-summary";
import { failingChecks, failuresFirst, isFailing } from "../lib/rates";

export function FailingContracts() {
  const summary = useComplianceSummary();
  const failing = summary.data ? failuresFirst(summary.data.contracts.filter(isFailing)) : [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Failing right now</CardTitle>
        <CardDescription>Contracts whose latest check failed or could not run</CardDescription>
      </CardHeader>
      <CardContent>
        {summary.isPending ? (
          <TableSkeleton rows={3} />
        ) : summary.isError ? (
          <QueryError error={summary.error} retry={() => void summary.refetch()} what="compliance" />
        ) : failing.length === 0 ? (
          <EmptyState icon={CheckCircle2} title="Nothing is failing">
            Every checked contract passes its latest checks.
          </EmptyState>
        ) : (
          <ul className="divide-y" data-testid="failing-contracts">
            {failing.slice(0, 8).map((row) => (
              <li key={row.contract_id} className="py-3 first:pt-0 last:pb-0">
                <div className="flex items-center justify-between gap-3">
                  <Link to={`/contracts/${row.contract_id}?tab=compliance`} className="font-medium hover:underline">
                    {row.contract_name}
                  </Link>
                  <StatusBadge status={row.status} />
                </div>
                <ul className="mt-1 space-y-0.5 text-xs text-muted-foreground">
                  {failingChecks(row).map((check) => (
                    <li key={check.type} className="break-words">
                      <span className="font-medium text-foreground">{check.type}</span> {check.status} {timeAgo(check.checkedAt)}
                      {check.message ? ` — ${check.message}` : ""}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
