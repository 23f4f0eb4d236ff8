import { Gauge } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { StatusBadge } from "@/components/status-badge";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { timeAgo } from "@/lib/format";
import type { Contract } from "@/types/api";

export function QualityTab({ contract }: { contract: Contract }) {
  const metrics = contract.quality ?? [];
  if (metrics.length === 0) {
    return (
      <EmptyState icon={Gauge} title="No quality SLAs">
        Add freshness, completeness or availability SLAs in the editor so the monitor can check them.
      </EmptyState>
    );
  }
  return (
    <Card className="p-2">
      <Table>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Metric</TableHead>
            <TableHead>Threshold</TableHead>
            <TableHead>Measured by</TableHead>
            <TableHead>Alerts</TableHead>
            <TableHead>Latest check</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {metrics.map((m) => {
            const check = contract.compliance.checks[m.metric_type];
            return (
              <TableRow key={m.metric_type}>
                <TableCell className="font-medium capitalize">{m.metric_type}</TableCell>
                <TableCell className="font-mono">{m.threshold}</TableCell>
                <TableCell className="text-sm text-muted-foreground">{m.measurement_method ?? "—"}</TableCell>
                <TableCell>{m.alert_on_breach === false ? "off" : "on breach"}</TableCell>
                <TableCell>
                  {check ? (
                    <div className="flex items-center gap-2">
                      <StatusBadge status={check.status} />
                      <span className="text-xs text-muted-foreground">{timeAgo(check.checked_at)}</span>
                    </div>
                  ) : (
                    <span className="text-xs text-muted-foreground">not checked</span>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Card>
  );
}
