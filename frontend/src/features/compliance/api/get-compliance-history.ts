import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { CheckStatus, CheckType, ComplianceCheckPage } from "@/types/api";
import { complianceKeys } from "./keys";

export interface ComplianceHistoryParams {
  check_type?: CheckType;
  status?: CheckStatus;
  since?: string;
  skip?: number;
  limit?: number;
}

export function getComplianceHistory(id: string, params: ComplianceHistoryParams, signal?: AbortSignal): Promise<ComplianceCheckPage> {
  return apiFetch<ComplianceCheckPage>(`/api/v1/contracts/${encodeURIComponent(id)}/compliance`, { params: { ...params }, signal });
}

export const complianceHistoryQueryOptions = (id: string, params: ComplianceHistoryParams) =>
  queryOptions({
    queryKey: complianceKeys.history(id, params),
    queryFn: ({ signal }) => getComplianceHistory(id, params, signal),
  });

export function useComplianceHistory(id: string, params: ComplianceHistoryParams, options: { refetchInterval?: number } = {}) {
  return useQuery({ ...complianceHistoryQueryOptions(id, params), ...options });
}
