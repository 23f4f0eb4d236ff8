import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { VersionList } from "@/types/api";
import { contractKeys } from "./keys";

export function getContractVersions(id: string, signal?: AbortSignal): Promise<VersionList> {
  return apiFetch<VersionList>(`/api/v1/contracts/${encodeURIComponent(id)}/versions`, { signal });
}

export const contractVersionsQueryOptions = (id: string) =>
  queryOptions({
    queryKey: contractKeys.versions(id),
    queryFn: ({ signal }) => getContractVersions(id, signal),
  });

export function useContractVersions(id: string) {
  return useQuery(contractVersionsQueryOptions(id));
}
