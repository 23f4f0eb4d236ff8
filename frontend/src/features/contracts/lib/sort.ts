import type { Contract } from "@/types/api";

export const SORT_KEYS = ["name", "team", "status", "version", "compliance", "fields", "updated"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortOrder = "asc" | "desc";

const COMPLIANCE_RANK: Record<string, number> = { fail: 0, error: 1, warning: 2, unknown: 3, pass: 4 };

function semverParts(version: string): number[] {
  return version.split(/[.+-]/).slice(0, 3).map((p) => Number.parseInt(p, 10) || 0);
}

function compareVersions(a: string, b: string): number {
  const pa = semverParts(a);
  const pb = semverParts(b);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

const COMPARATORS: Record<SortKey, (a: Contract, b: Contract) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  team: (a, b) => a.publisher.team.localeCompare(b.publisher.team),
  status: (a, b) => (a.status ?? "active").localeCompare(b.status ?? "active"),
  version: (a, b) => compareVersions(a.version, b.version),
  compliance: (a, b) => (COMPLIANCE_RANK[a.compliance.status] ?? 5) - (COMPLIANCE_RANK[b.compliance.status] ?? 5),
  fields: (a, b) => a.schema.length - b.schema.length,
  updated: (a, b) => a.updated_at.localeCompare(b.updated_at),
};

export function isSortKey(value: string | undefined): value is SortKey {
  return (SORT_KEYS as readonly string[]).includes(value ?? "");
}

export function sortContracts(contracts: Contract[], key: SortKey, order: SortOrder): Contract[] {
  const compare = COMPARATORS[key];
  const sign = order === "desc" ? -1 : 1;
  return [...contracts].sort((a, b) => sign * compare(a, b) || a.name.localeCompare(b.name));
}
