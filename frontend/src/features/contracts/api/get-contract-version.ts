import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ContractDocument } from "@/types/api";
import { contractKeys } from "./keys";

export function getContractVersion(id: string, version: string, signal?: AbortSignal): Promise<ContractDocument> {
  return apiFetch<ContractDocument>(
    `/api/v1/contracts/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`,
    { signal },
  );
}

export const contractVersionQueryOptions = (id: string, version: string) =>
  queryOptions({
    queryKey: contractKeys.version(id, version),
    queryFn: ({ signal }) => getContractVersion(id, version, signal),
    staleTime: Infinity, // a version snapshot never changes
  });

export function useContractVersion(id: string, version: string | undefined) {
  return useQuery({ ...contractVersionQueryOptions(id, version ?? ""), enabled: Boolean(version) });
}
