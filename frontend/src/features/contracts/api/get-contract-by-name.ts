import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Contract } from "@/types/api";
import { contractKeys } from "./keys";

export function getContractByName(name: string, signal?: AbortSignal): Promise<Contract> {
  return apiFetch<Contract>(`/api/v1/contracts/name/${encodeURIComponent(name)}`, { signal });
}

export const contractByNameQueryOptions = (name: string) =>
  queryOptions({
    queryKey: contractKeys.byName(name),
    queryFn: ({ signal }) => getContractByName(name, signal),
  });

export function useContractByName(name: string) {
  return useQuery(contractByNameQueryOptions(name));
}
