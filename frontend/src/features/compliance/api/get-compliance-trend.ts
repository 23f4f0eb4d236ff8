import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { CheckType, ComplianceTrend } from "@/types/api";
import { COMPLIANCE_REFRESH_MS, complianceKeys } from "./keys";

export interface ComplianceTrendParams {
  days?: number;
  check_type?: CheckType;
  contract_id?: string;
}

export function getComplianceTrend(params: ComplianceTrendParams, signal?: AbortSignal): Promise<ComplianceTrend> {
  return apiFetch<ComplianceTrend>("/api/v1/compliance/trend", { params: { ...params }, signal });
}

export const complianceTrendQueryOptions = (params: ComplianceTrendParams = {}) =>
  queryOptions({
    queryKey: complianceKeys.trend(params),
    queryFn: ({ signal }) => getComplianceTrend(params, signal),
    refetchInterval: COMPLIANCE_REFRESH_MS,
  });

export function useComplianceTrend(params: ComplianceTrendParams = {}) {
  return useQuery(complianceTrendQueryOptions(params));
}
