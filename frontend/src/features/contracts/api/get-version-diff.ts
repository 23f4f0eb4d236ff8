import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ChangeReport } from "@/types/api";
import { contractKeys } from "./keys";

export function getVersionDiff(id: string, from: string, to: string, signal?: AbortSignal): Promise<ChangeReport> {
  return apiFetch<ChangeReport>(`/api/v1/contracts/${encodeURIComponent(id)}/diff`, { params: { from, to }, signal });
}

export const versionDiffQueryOptions = (id: string, from: string, to: string) =>
  queryOptions({
    queryKey: contractKeys.diff(id, from, to),
    queryFn: ({ signal }) => getVersionDiff(id, from, to, signal),
    staleTime: Infinity,
  });

export function useVersionDiff(id: string, from: string | undefined, to: string | undefined) {
  return useQuery({ ...versionDiffQueryOptions(id, from ?? "", to ?? ""), enabled: Boolean(from && to && from !== to) });
}
