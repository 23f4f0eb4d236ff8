import { ListChecks } from "lucide-react";
import { StatusBadge } from "@/components/status-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { timeAgo } from "@/lib/format";
import type { ComplianceCheck, Contract, JsonValue, RuleSummary } from "@/types/api";
import { useComplianceHistory } from "../api/get-compliance-history";
import { COMPLIANCE_REFRESH_MS } from "../api/keys";

interface RuleRow extends RuleSummary {
  id: string;
  field: string;
}

const ORDER: Record<string, number> = { fail: 0, error: 1, warning: 2, pass: 3 };

function rowsOf(rules: Record<string, RuleSummary>): RuleRow[] {
  return Object.entries(rules)
    .map(([id, r]) => ({ ...r, id, field: r.field ?? id.split(":")[0] ?? id }))
    .sort((a, b) => a.field.localeCompare(b.field) || (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || a.id.localeCompare(b.id));
}

function scalar(value: JsonValue): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** `[{"id": 4}, {"id": 9}]` → `id=4, id=9`: the primary keys of a few breaking rows. */
function samplesText(check: ComplianceCheck | undefined): string | null {
  const samples: JsonValue | undefined = check?.details?.samples;
  if (!Array.isArray(samples) || samples.length === 0) return null;
  return samples
    .map((s) => (typeof s === "object" && s !== null && !Array.isArray(s) ? Object.entries(s).map(([k, v]) => `${k}=${scalar(v)}`).join(" ") : scalar(s)))
    .join(", ");
}

/** Each value rule of the contract (min, max, lengths, regex, enum, expression, foreign key),
 * grouped by field: how many rows break it, and sample primary keys of a few of them. */
export function ViolationsByField({ contract }: { contract: Contract }) {
  const validity = contract.compliance.checks.validity;
  const rules = rowsOf(validity?.rules ?? {});
  const broken = useComplianceHistory(contract.id, { check_type: "validity", status: "fail", limit: 100 }, { refetchInterval: COMPLIANCE_REFRESH_MS });
  if (!validity || rules.length === 0) return null;
  const latestFailure = new Map<string, ComplianceCheck>();
  for (const check of broken.data?.checks ?? []) {
    if (check.rule && !latestFailure.has(check.rule)) latestFailure.set(check.rule, check);
  }
  const failing = rules.filter((r) => r.status === "fail").length;
  return (
    <Card data-testid="violations-by-field">
      <CardHeader className="flex-row items-center justify-between">
        <div>
          <CardTitle className="flex items-center gap-2">
            <ListChecks className="size-4" /> Violations per field
          </CardTitle>
          <CardDescription>
            {failing ? `${failing} of ${rules.length} value rules broken` : `all ${rules.length} value rules kept or not checked`} · checked {timeAgo(validity.checked_at)}
          </CardDescription>
        </div>
        <StatusBadge status={validity.status} />
      </CardHeader>
      <CardContent>
        <Table>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead>Field</TableHead>
              <TableHead>Rule</TableHead>
              <TableHead>Result</TableHead>
              <TableHead className="text-right">Rows breaking it</TableHead>
              <TableHead>Message</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rules.map((r) => {
              const samples = r.status === "fail" ? samplesText(latestFailure.get(r.id)) : null;
              return (
                <TableRow key={r.id} data-rule={r.id}>
                  <TableCell className="font-mono text-sm">{r.field}</TableCell>
                  <TableCell className="text-sm">{r.rule ?? r.id}</TableCell>
                  <TableCell>
                    <StatusBadge status={r.status} />
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{typeof r.violations === "number" ? r.violations.toLocaleString() : "—"}</TableCell>
                  <TableCell className="max-w-md text-sm break-words">
                    {r.status === "pass" ? "—" : (r.error_message ?? "—")}
                    {samples && <p className="text-xs text-muted-foreground">e.g. {samples}</p>}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
