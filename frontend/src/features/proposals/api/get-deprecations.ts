import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { DeprecationList } from "@/types/api";
import { proposalKeys } from "./keys";

/** `GET /api/v1/contracts/{id}/deprecations`: deprecated fields, sunsets, who has not migrated. */
export function getDeprecations(contractId: string, signal?: AbortSignal): Promise<DeprecationList> {
  return apiFetch<DeprecationList>(`/api/v1/contracts/${encodeURIComponent(contractId)}/deprecations`, { signal });
}

export const deprecationsQueryOptions = (contractId: string) =>
  queryOptions({
    queryKey: proposalKeys.deprecations(contractId),
    queryFn: ({ signal }) => getDeprecations(contractId, signal),
  });

export function useDeprecations(contractId: string) {
  return useQuery(deprecationsQueryOptions(contractId));
}
