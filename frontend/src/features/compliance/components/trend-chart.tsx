import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDay, formatPercent } from "@/lib/format";
import type { TrendPoint } from "@/types/api";

interface Row {
  date: string;
  rate: number | null;
  total: number;
  failed: number;
}

/** Daily pass rate of recorded checks; days without checks leave a gap. */
export default function TrendChart({ points, height = 220 }: { points: TrendPoint[]; height?: number }) {
  const data: Row[] = points.map((p) => ({
    date: p.date,
    rate: p.pass_rate === null ? null : Math.round(p.pass_rate * 1000) / 10,
    total: p.total,
    failed: p.failed + p.errors,
  }));
  return (
    <div style={{ height }} className="w-full" data-testid="trend-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
          <defs>
            <linearGradient id="passFill" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="var(--color-chart-2)" stopOpacity={0.35} />
              <stop offset="100%" stopColor="var(--color-chart-2)" stopOpacity={0.02} />
            </linearGradient>
          </defs>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" vertical={false} />
          <XAxis dataKey="date" tickFormatter={formatDay} tick={{ fontSize: 12, fill: "var(--color-muted-foreground)" }} tickLine={false} axisLine={false} minTickGap={24} />
          <YAxis domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} tick={{ fontSize: 12, fill: "var(--color-muted-foreground)" }} tickLine={false} axisLine={false} width={48} />
          <Tooltip
            contentStyle={{ background: "var(--color-popover)", border: "1px solid var(--color-border)", borderRadius: 8, fontSize: 12 }}
            labelFormatter={(label) => (typeof label === "string" ? formatDay(label) : "")}
            formatter={(value, _name, item) => {
              const row = item.payload as Row;
              return [`${value === null ? "no checks" : formatPercent(Number(value) / 100)} · ${row.total} checks, ${row.failed} failed`, "Pass rate"];
            }}
          />
          <Area type="monotone" dataKey="rate" stroke="var(--color-chart-2)" strokeWidth={2} fill="url(#passFill)" connectNulls isAnimationActive={false} dot={{ r: 3, fill: "var(--color-chart-2)", strokeWidth: 0 }} activeDot={{ r: 5 }} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
