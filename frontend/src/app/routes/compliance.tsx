import { ShieldQuestion } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { FilterSelect } from "@/components/filter-select";
import { TableSkeleton } from "@/components/layout/page-skeleton";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useComplianceSummary } from "@/features/compliance/api/get-compliance-summary";
import { ComplianceMatrix } from "@/features/compliance/components/compliance-matrix";
import { TrendCard } from "@/features/compliance/components/trend-card";
import { failuresFirst, passRate } from "@/features/compliance/lib/rates";
import { useDatasetFacets } from "@/features/dictionary/api/get-dataset-facets";
import { formatPercent } from "@/lib/format";
import { useUrlState } from "@/lib/use-url-state";
import { cn } from "@/lib/utils";
import { CHECK_TYPES, type CheckType, type ComplianceStatus } from "@/types/api";

const STATUS_CARDS: { key: string; label: string; className: string }[] = [
  { key: "fail", label: "Failing", className: "text-destructive" },
  { key: "error", label: "Could not check", className: "text-destructive" },
  { key: "warning", label: "Warnings", className: "text-amber-600 dark:text-warning" },
  { key: "pass", label: "Passing", className: "text-success" },
  { key: "unknown", label: "Not checked", className: "text-muted-foreground" },
];

export default function CompliancePage() {
  const url = useUrlState();
  const team = url.get("team");
  const status = url.get("status") as ComplianceStatus | undefined;
  const checkType = url.get("check") as CheckType | undefined;
  const summary = useComplianceSummary({ team, status });
  const options = useDatasetFacets();
  const data = summary.data;
  const usedTypes = data ? CHECK_TYPES.filter((t) => data.contracts.some((c) => c.checks[t])) : [];
  const rate = data ? passRate(data) : null;

  return (
    <>
      <PageHeader title="Compliance" description="Each contract’s latest result per check type, failures first. Refreshes every 30 seconds." />
      <div className="mb-4 flex flex-wrap gap-2">
        <FilterSelect label="Team" value={team} options={options.teams} onChange={(v) => url.set({ team: v })} className="w-44" />
        <FilterSelect label="Status" value={status} options={["fail", "error", "warning", "pass", "unknown"].map((s) => ({ value: s }))} onChange={(v) => url.set({ status: v })} />
        <FilterSelect label="Trend of" allLabel="all checks" value={checkType} options={CHECK_TYPES.map((t) => ({ value: t }))} onChange={(v) => url.set({ check: v })} className="w-48" />
      </div>
      <div className="mb-6 grid gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <Card className="p-4">
          <p className="text-xs text-muted-foreground">Pass rate</p>
          <p className="text-2xl font-semibold tabular-nums" data-testid="compliance-pass-rate">
            {rate ? formatPercent(rate.rate) : "—"}
          </p>
        </Card>
        {STATUS_CARDS.map((s) => (
          <Card key={s.key} className="p-4">
            <p className="text-xs text-muted-foreground">{s.label}</p>
            <p className={cn("text-2xl font-semibold tabular-nums", s.className)}>{data ? (data.totals[s.key] ?? 0) : "—"}</p>
          </Card>
        ))}
      </div>
      <div className="mb-6 grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <TrendCard title={checkType ? `Pass rate of ${checkType} checks` : "Pass rate over time"} params={{ days: 30, check_type: checkType }} />
        </div>
        <Card>
          <CardHeader>
            <CardTitle>By check type</CardTitle>
            <CardDescription>Latest results across contracts</CardDescription>
          </CardHeader>
          <CardContent>
            {data ? (
              <ul className="space-y-3">
                {Object.entries(data.by_check_type).map(([type, counts]) => {
                  const total = Object.values(counts).reduce((a, b) => a + b, 0) || 1;
                  return (
                    <li key={type}>
                      <div className="mb-1 flex justify-between text-sm">
                        <span className="capitalize">{type}</span>
                        <span className="text-xs text-muted-foreground">
                          {counts.pass ?? 0}/{total} pass
                        </span>
                      </div>
                      <div className="flex h-2 overflow-hidden rounded-full bg-muted">
                        <div className="bg-success" style={{ width: `${((counts.pass ?? 0) / total) * 100}%` }} />
                        <div className="bg-warning" style={{ width: `${((counts.warning ?? 0) / total) * 100}%` }} />
                        <div className="bg-destructive" style={{ width: `${(((counts.fail ?? 0) + (counts.error ?? 0)) / total) * 100}%` }} />
                      </div>
                    </li>
                  );
                })}
                {Object.keys(data.by_check_type).length === 0 && <li className="text-sm text-muted-foreground">No checks recorded yet.</li>}
              </ul>
            ) : (
              <TableSkeleton rows={4} />
            )}
          </CardContent>
        </Card>
      </div>
      <Card className="p-2">
        {summary.isPending ? (
          <TableSkeleton rows={8} />
        ) : summary.isError ? (
          <QueryError error={summary.error} retry={() => void summary.refetch()} what="compliance" />
        ) : summary.data.contracts.length === 0 ? (
          <EmptyState icon={ShieldQuestion} title={team || status ? "No contract matches these filters" : "No contracts to check yet"}>
            Contracts with an access endpoint are checked by the monitor on its schedule.
          </EmptyState>
        ) : (
          <div className="px-2">
            <ComplianceMatrix rows={failuresFirst(summary.data.contracts)} checkTypes={usedTypes.length ? usedTypes : ["schema"]} />
          </div>
        )}
      </Card>
    </>
  );
}
