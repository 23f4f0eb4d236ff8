import { ShieldCheck } from "lucide-react";
import { Link } from "react-router";
import { QueryError } from "@/components/query-error";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatPercent } from "@/lib/format";
import { cn } from "@/lib/utils";
import { useComplianceSummary } from "../api/get-compliance-summary";
import { passRate } from "../lib/rates";

const SEGMENTS: { key: string; label: string; className: string }[] = [
  { key: "pass", label: "passing", className: "bg-success" },
  { key: "warning", label: "warning", className: "bg-warning" },
  { key: "fail", label: "failing", className: "bg-destructive" },
  { key: "error", label: "error", className: "bg-destructive/60" },
  { key: "unknown", label: "not checked", className: "bg-muted-foreground/30" },
];

export function ComplianceNow() {
  const summary = useComplianceSummary();
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <ShieldCheck className="size-4" aria-hidden /> Compliance now
        </CardTitle>
        <CardDescription>Contracts whose latest checks all pass</CardDescription>
      </CardHeader>
      <CardContent>
        {summary.isPending ? (
          <Skeleton className="h-28" />
        ) : summary.isError ? (
          <QueryError error={summary.error} retry={() => void summary.refetch()} what="compliance" />
        ) : (
          (() => {
            const { rate, passing, checked } = passRate(summary.data);
            const total = summary.data.totals.contracts ?? summary.data.total;
            return (
              <div className="space-y-4">
                <div>
                  <div className="text-4xl font-semibold tabular-nums" data-testid="pass-rate">
                    {formatPercent(rate)}
                  </div>
                  <p className="text-sm text-muted-foreground">
                    {checked ? `${passing} of ${checked} checked contracts pass` : "No contract has been checked yet"}
                  </p>
                </div>
                <div className="flex h-2.5 w-full overflow-hidden rounded-full bg-muted" aria-hidden>
                  {SEGMENTS.map((s) => {
                    const n = summary.data.totals[s.key] ?? 0;
                    return n && total ? <div key={s.key} className={cn(s.className)} style={{ width: `${(n / total) * 100}%` }} /> : null;
                  })}
                </div>
                <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
                  {SEGMENTS.map((s) => (
                    <li key={s.key} className="flex items-center gap-1.5">
                      <span className={cn("size-2 rounded-full", s.className)} aria-hidden />
                      {summary.data.totals[s.key] ?? 0} {s.label}
                    </li>
                  ))}
                </ul>
                <Link to="/compliance" className="text-sm font-medium text-primary hover:underline">
                  Compliance overview →
                </Link>
              </div>
            );
          })()
        )}
      </CardContent>
    </Card>
  );
}
