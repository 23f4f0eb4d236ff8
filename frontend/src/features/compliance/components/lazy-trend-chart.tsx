import { lazy, Suspense } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import type { TrendPoint } from "@/types/api";

const TrendChart = lazy(() => import("./trend-chart"));

/** Recharts is loaded with the first chart, not with the page. */
export function LazyTrendChart({ points, height = 220 }: { points: TrendPoint[]; height?: number }) {
  return (
    <Suspense fallback={<Skeleton style={{ height }} className="w-full" />}>
      <TrendChart points={points} height={height} />
    </Suspense>
  );
}
