import type { ComplianceSummary, ContractComplianceRow } from "@/types/api";

const SEVERITY: Record<string, number> = { fail: 0, error: 1, warning: 2, unknown: 3, pass: 4 };

/** Failures first, then errors, warnings, unchecked, passing; by name within a group. */
export function failuresFirst(rows: ContractComplianceRow[]): ContractComplianceRow[] {
  return [...rows].sort((a, b) => (SEVERITY[a.status] ?? 5) - (SEVERITY[b.status] ?? 5) || a.contract_name.localeCompare(b.contract_name));
}

/** Share of checked contracts whose worst latest check passes (null when none was checked). */
export function passRate(summary: ComplianceSummary): { rate: number | null; passing: number; checked: number } {
  const t = summary.totals;
  const passing = t.pass ?? 0;
  const checked = passing + (t.fail ?? 0) + (t.warning ?? 0) + (t.error ?? 0);
  return { rate: checked ? passing / checked : null, passing, checked };
}

export function isFailing(row: ContractComplianceRow): boolean {
  return row.status === "fail" || row.status === "error";
}

/** The check types that are not passing, with their messages. */
export function failingChecks(row: ContractComplianceRow): { type: string; status: string; message: string | null | undefined; checkedAt: string }[] {
  return Object.entries(row.checks)
    .filter(([, check]) => check && check.status !== "pass")
    .map(([type, check]) => ({ type, status: check!.status, message: check!.error_message, checkedAt: check!.checked_at }));
}
