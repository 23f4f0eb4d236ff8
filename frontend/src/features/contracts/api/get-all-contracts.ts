import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Contract } from "@/types/api";
import { getContracts } from "./get-contracts";
import { contractKeys } from "./keys";

const PAGE = 500;

/** Every contract (all statuses), paging through the list API; for counts and filters. */
export async function getAllContracts(signal?: AbortSignal): Promise<Contract[]> {
  const all: Contract[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const page = await getContracts({ skip, limit: PAGE }, signal);
    all.push(...page.contracts);
    if (page.contracts.length < PAGE || all.length >= page.total) return all;
  }
}

export const allContractsQueryOptions = () =>
  queryOptions({
    queryKey: contractKeys.everything(),
    queryFn: ({ signal }) => getAllContracts(signal),
  });

export function useAllContracts(options: { refetchInterval?: number } = {}) {
  return useQuery({ ...allContractsQueryOptions(), ...options });
}
