import { Link } from "react-router";
import { StatusBadge } from "@/components/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tooltip } from "@/components/ui/tooltip";
import { formatDateTime, timeAgo } from "@/lib/format";
import type { ContractComplianceRow } from "@/types/api";

/** Every contract's latest status per check type (rows come failures first). */
export function ComplianceMatrix({ rows, checkTypes }: { rows: ContractComplianceRow[]; checkTypes: string[] }) {
  return (
    <Table data-testid="compliance-matrix">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Contract</TableHead>
          <TableHead>Team</TableHead>
          <TableHead>Overall</TableHead>
          {checkTypes.map((t) => (
            <TableHead key={t} className="capitalize">
              {t}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.contract_id} data-status={row.status}>
            <TableCell>
              <Link to={`/contracts/${row.contract_id}?tab=compliance`} className="font-medium text-primary hover:underline">
                {row.contract_name}
              </Link>
              <span className="ml-2 font-mono text-xs text-muted-foreground">v{row.version}</span>
            </TableCell>
            <TableCell className="text-sm">{row.team}</TableCell>
            <TableCell>
              <StatusBadge status={row.status} />
            </TableCell>
            {checkTypes.map((t) => {
              const check = row.checks[t];
              return (
                <TableCell key={t}>
                  {check ? (
                    <Tooltip content={<span>{check.error_message ?? "passed"} · {formatDateTime(check.checked_at)}</span>}>
                      <span tabIndex={0} className="inline-flex flex-col gap-0.5 rounded-sm">
                        <StatusBadge status={check.status} />
                        <span className="text-[11px] text-muted-foreground">{timeAgo(check.checked_at)}</span>
                      </span>
                    </Tooltip>
                  ) : (
                    <span className="text-xs text-muted-foreground">—</span>
                  )}
                </TableCell>
              );
            })}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
