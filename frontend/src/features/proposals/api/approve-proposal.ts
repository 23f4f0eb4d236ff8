import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { AnswerRequest, Proposal } from "@/types/api";
import { proposalKeys } from "./keys";

/** `POST /api/v1/proposals/{id}/approve` for a team the token holds (403 otherwise). */
export function approveProposal(id: string, answer: AnswerRequest): Promise<Proposal> {
  return apiFetch<Proposal>(`/api/v1/proposals/${encodeURIComponent(id)}/approve`, { method: "POST", json: answer });
}

export function useApproveProposal(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (answer: AnswerRequest) => approveProposal(id, answer),
    meta: { errorTitle: "The approval was not recorded" },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: proposalKeys.all }),
  });
}
