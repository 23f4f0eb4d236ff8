import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Contract } from "@/types/api";
import { contractKeys } from "./keys";

export function getContract(id: string, signal?: AbortSignal): Promise<Contract> {
  return apiFetch<Contract>(`/api/v1/contracts/${encodeURIComponent(id)}`, { signal });
}

export const contractQueryOptions = (id: string) =>
  queryOptions({
    queryKey: contractKeys.detail(id),
    queryFn: ({ signal }) => getContract(id, signal),
  });

export function useContract(id: string, options: { refetchInterval?: number } = {}) {
  return useQuery({ ...contractQueryOptions(id), ...options });
}
