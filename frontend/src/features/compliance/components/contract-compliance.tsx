import { useQueries } from "@tanstack/react-query";
import { Play, ShieldQuestion } from "lucide-react";
import { toast } from "sonner";
import { EmptyState } from "@/components/empty-state";
import { FilterSelect } from "@/components/filter-select";
import { TableSkeleton } from "@/components/layout/page-skeleton";
import { Pagination } from "@/components/pagination";
import { QueryError } from "@/components/query-error";
import { StatusBadge } from "@/components/status-badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime, timeAgo } from "@/lib/format";
import { useUrlState } from "@/lib/use-url-state";
import { CHECK_TYPES, type CheckStatus, type CheckType, type Contract } from "@/types/api";
import { complianceHistoryQueryOptions, useComplianceHistory } from "../api/get-compliance-history";
import { COMPLIANCE_REFRESH_MS } from "../api/keys";
import { useRunChecks } from "../api/run-checks";
import { CheckDetails } from "./check-details";
import { TrendCard } from "./trend-card";
import { ViolationsByField } from "./violations-by-field";

const HISTORY_PAGE = 20;

function LatestPerType({ contract }: { contract: Contract }) {
  // validity is shown per field and rule below
  const types = (Object.keys(contract.compliance.checks) as CheckType[]).filter((t) => t !== "validity");
  const latest = useQueries({
    queries: types.map((check_type) => ({ ...complianceHistoryQueryOptions(contract.id, { check_type, limit: 1 }), refetchInterval: COMPLIANCE_REFRESH_MS })),
  });
  if (types.length === 0 && contract.compliance.checks.validity) return null;
  if (types.length === 0) {
    return (
      <EmptyState icon={ShieldQuestion} title="Not checked yet">
        The monitor checks every contract on a schedule. Press “Run check now” to check this one at once.
      </EmptyState>
    );
  }
  return (
    <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3" data-testid="latest-checks">
      {types.map((type, i) => {
        const summary = contract.compliance.checks[type];
        const record = latest[i]?.data?.checks[0];
        return (
          <Card key={type} data-check-type={type}>
            <CardHeader className="flex-row items-center justify-between">
              <CardTitle className="capitalize">{type}</CardTitle>
              <StatusBadge status={summary?.status} />
            </CardHeader>
            <CardContent className="pt-3">
              <p className="mb-2 text-xs text-muted-foreground" title={formatDateTime(summary?.checked_at)}>
                checked {timeAgo(summary?.checked_at)}
              </p>
              <CheckDetails details={record?.details} errorMessage={summary?.error_message} />
            </CardContent>
          </Card>
        );
      })}
    </div>
  );
}

function History({ contractId }: { contractId: string }) {
  const url = useUrlState();
  const checkType = url.get("check") as CheckType | undefined;
  const status = url.get("result") as CheckStatus | undefined;
  const page = url.getNumber("hpage", 1);
  const history = useComplianceHistory(contractId, { check_type: checkType, status, skip: (page - 1) * HISTORY_PAGE, limit: HISTORY_PAGE }, { refetchInterval: COMPLIANCE_REFRESH_MS });
  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
        <div>
          <CardTitle>History</CardTitle>
          <CardDescription>Every recorded check, newest first</CardDescription>
        </div>
        <div className="flex gap-2">
          <FilterSelect label="Check" value={checkType} options={CHECK_TYPES.map((t) => ({ value: t }))} onChange={(v) => url.set({ check: v, hpage: undefined }, { keepPage: true })} />
          <FilterSelect label="Result" value={status} options={["pass", "warning", "fail", "error"].map((s) => ({ value: s }))} onChange={(v) => url.set({ result: v, hpage: undefined }, { keepPage: true })} className="w-36" />
        </div>
      </CardHeader>
      <CardContent>
        {history.isPending ? (
          <TableSkeleton rows={5} />
        ) : history.isError ? (
          <QueryError error={history.error} retry={() => void history.refetch()} what="the check history" />
        ) : history.data.checks.length === 0 ? (
          <p className="text-sm text-muted-foreground">No checks recorded{checkType || status ? " for these filters" : ""}.</p>
        ) : (
          <>
            <Table data-testid="check-history">
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>When</TableHead>
                  <TableHead>Check</TableHead>
                  <TableHead>Result</TableHead>
                  <TableHead>Message</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {history.data.checks.map((check) => (
                  <TableRow key={check.id}>
                    <TableCell className="text-sm whitespace-nowrap">{formatDateTime(check.checked_at)}</TableCell>
                    <TableCell className="capitalize">
                      {check.check_type}
                      {check.rule && <span className="block font-mono text-xs normal-case text-muted-foreground">{check.rule}</span>}
                    </TableCell>
                    <TableCell>
                      <StatusBadge status={check.status} />
                    </TableCell>
                    <TableCell className="max-w-xl text-sm break-words">{check.error_message ?? (typeof check.details?.summary === "string" ? check.details.summary : "—")}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Pagination page={page} pageSize={HISTORY_PAGE} total={history.data.total} onPageChange={(p) => url.set({ hpage: p > 1 ? p : undefined }, { keepPage: true })} />
          </>
        )}
      </CardContent>
    </Card>
  );
}

/** A contract's compliance: latest result per check, trend, history, and "run check now". */
export function ContractCompliance({ contract, onChecked }: { contract: Contract; onChecked?: () => Promise<unknown> }) {
  const run = useRunChecks(contract.id, { onChecked });
  const onRun = () =>
    run.mutate(undefined, {
      onSuccess: (result) => {
        const failed = result.results.filter((r) => r.status !== "pass").length;
        const text = `${result.results.length} checks ran, ${failed} not passing`;
        if (failed) toast.warning(`Checked ${result.contract_name}`, { description: text });
        else toast.success(`Checked ${result.contract_name}`, { description: text });
      },
    });
  return (
    <div className="space-y-6">
      <Card>
        <CardContent className="flex flex-wrap items-center justify-between gap-4">
          <div className="flex items-center gap-3">
            <span className="text-sm text-muted-foreground">Overall</span>
            <span data-testid="overall-compliance">
              <StatusBadge status={contract.compliance.status} />
            </span>
            {contract.access?.endpoint_url ? (
              <span className="text-xs text-muted-foreground">
                monitored at <code className="break-all">{contract.access.endpoint_url}</code>
              </span>
            ) : (
              <span className="text-xs text-muted-foreground">No access endpoint: only what the registry knows can be checked.</span>
            )}
          </div>
          <Button onClick={onRun} disabled={run.isPending || !contract.access?.endpoint_url} title={contract.access?.endpoint_url ? undefined : "Add an access endpoint to the contract so the monitor can check it"}>
            <Play /> {run.isPending ? "Running checks…" : "Run check now"}
          </Button>
        </CardContent>
      </Card>
      <LatestPerType contract={contract} />
      <ViolationsByField contract={contract} />
      <TrendCard title="Pass rate of this contract" params={{ days: 30, contract_id: contract.id }} height={180} />
      <History contractId={contract.id} />
    </div>
  );
}
