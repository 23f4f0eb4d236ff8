import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ProposalList, ProposalStatus } from "@/types/api";
import { proposalKeys } from "./keys";

/** `GET /api/v1/contracts/{id}/proposals`: one contract's proposals, newest first. */
export function getContractProposals(contractId: string, status?: ProposalStatus, signal?: AbortSignal): Promise<ProposalList> {
  return apiFetch<ProposalList>(`/api/v1/contracts/${encodeURIComponent(contractId)}/proposals`, { params: { status }, signal });
}

export const contractProposalsQueryOptions = (contractId: string, status?: ProposalStatus) =>
  queryOptions({
    queryKey: proposalKeys.forContract(contractId, status),
    queryFn: ({ signal }) => getContractProposals(contractId, status, signal),
  });

export function useContractProposals(contractId: string, status?: ProposalStatus) {
  return useQuery(contractProposalsQueryOptions(contractId, status));
}
