import { TrendingUp } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { QueryError } from "@/components/query-error";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useComplianceTrend, type ComplianceTrendParams } from "@/features/compliance/api/get-compliance-trend";
import { LazyTrendChart } from "./lazy-trend-chart";

export function TrendCard({ title = "Pass rate over time", params = { days: 30 }, height = 220 }: { title?: string; params?: ComplianceTrendParams; height?: number }) {
  const trend = useComplianceTrend(params);
  const hasChecks = trend.data?.points.some((p) => p.total > 0) ?? false;
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>Share of recorded checks that passed, per day (last {params.days ?? 30} days)</CardDescription>
      </CardHeader>
      <CardContent>
        {trend.isPending ? (
          <Skeleton style={{ height }} />
        ) : trend.isError ? (
          <QueryError error={trend.error} retry={() => void trend.refetch()} what="the trend" />
        ) : hasChecks ? (
          <LazyTrendChart points={trend.data.points} height={height} />
        ) : (
          <EmptyState icon={TrendingUp} title="No checks recorded yet">
            The compliance monitor records checks on its schedule; use “Run check now” on a contract to record one at once.
          </EmptyState>
        )}
      </CardContent>
    </Card>
  );
}
