import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Proposal } from "@/types/api";
import { proposalKeys } from "./keys";

/** `GET /api/v1/proposals/{id}`: the proposal with its document. */
export function getProposal(id: string, signal?: AbortSignal): Promise<Proposal> {
  return apiFetch<Proposal>(`/api/v1/proposals/${encodeURIComponent(id)}`, { signal });
}

export const proposalQueryOptions = (id: string) =>
  queryOptions({
    queryKey: proposalKeys.detail(id),
    queryFn: ({ signal }) => getProposal(id, signal),
  });

export function useProposal(id: string, options: { enabled?: boolean } = {}) {
  return useQuery({ ...proposalQueryOptions(id), ...options });
}
