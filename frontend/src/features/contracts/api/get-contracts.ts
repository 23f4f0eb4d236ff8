import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ContractList, ContractSort, ContractStatus, SortOrder } from "@/types/api";
import { contractKeys } from "./keys";

export interface ContractListParams {
  q?: string;
  status?: ContractStatus;
  team?: string;
  tag?: string;
  sort?: ContractSort;
  order?: SortOrder;
  skip?: number;
  limit?: number;
}

export function getContracts(params: ContractListParams, signal?: AbortSignal): Promise<ContractList> {
  return apiFetch<ContractList>("/api/v1/contracts", { params: { ...params }, signal });
}

export const contractsQueryOptions = (params: ContractListParams) =>
  queryOptions({
    queryKey: contractKeys.list(params),
    queryFn: ({ signal }) => getContracts(params, signal),
    placeholderData: keepPreviousData,
  });

export function useContracts(params: ContractListParams) {
  return useQuery(contractsQueryOptions(params));
}
