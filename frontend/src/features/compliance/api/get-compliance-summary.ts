import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ComplianceStatus, ComplianceSummary } from "@/types/api";
import { COMPLIANCE_REFRESH_MS, complianceKeys } from "./keys";

export interface ComplianceSummaryParams {
  team?: string;
  status?: ComplianceStatus;
  include_deprecated?: boolean;
  skip?: number;
  limit?: number;
}

export function getComplianceSummary(params: ComplianceSummaryParams, signal?: AbortSignal): Promise<ComplianceSummary> {
  return apiFetch<ComplianceSummary>("/api/v1/compliance/summary", { params: { ...params }, signal });
}

export const complianceSummaryQueryOptions = (params: ComplianceSummaryParams = {}) =>
  queryOptions({
    queryKey: complianceKeys.summary(params),
    queryFn: ({ signal }) => getComplianceSummary(params, signal),
    refetchInterval: COMPLIANCE_REFRESH_MS,
  });

export function useComplianceSummary(params: ComplianceSummaryParams = {}) {
  return useQuery(complianceSummaryQueryOptions(params));
}
