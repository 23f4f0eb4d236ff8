export const complianceKeys = {
  all: ["compliance"] as const,
  summary: (params: object) => [...complianceKeys.all, "summary", params] as const,
  trend: (params: object) => [...complianceKeys.all, "trend", params] as const,
  history: (contractId: string, params: object) => [...complianceKeys.all, "history", contractId, params] as const,
};

/** Compliance numbers change while the page is open: poll them. */
export const COMPLIANCE_REFRESH_MS = 30_000;
