import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ProposalList, ProposalStatus } from "@/types/api";
import { proposalKeys } from "./keys";

export interface ProposalsParams {
  status?: ProposalStatus;
  /** proposals this team is asked to answer */
  team?: string;
}

/** `GET /api/v1/proposals`: across contracts, newest first. */
export function getProposals(params: ProposalsParams, signal?: AbortSignal): Promise<ProposalList> {
  return apiFetch<ProposalList>("/api/v1/proposals", { params: { status: params.status, team: params.team, limit: 500 }, signal });
}

export const proposalsQueryOptions = (params: ProposalsParams) =>
  queryOptions({
    queryKey: proposalKeys.list(params),
    queryFn: ({ signal }) => getProposals(params, signal),
  });

export function useProposals(params: ProposalsParams) {
  return useQuery(proposalsQueryOptions(params));
}
