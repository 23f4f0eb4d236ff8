import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { AnswerRequest, Proposal } from "@/types/api";
import { proposalKeys } from "./keys";

/** `POST /api/v1/proposals/{id}/object` for a team the token holds (403 otherwise). */
export function objectToProposal(id: string, answer: AnswerRequest): Promise<Proposal> {
  return apiFetch<Proposal>(`/api/v1/proposals/${encodeURIComponent(id)}/object`, { method: "POST", json: answer });
}

export function useObjectToProposal(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (answer: AnswerRequest) => objectToProposal(id, answer),
    meta: { errorTitle: "The objection was not recorded" },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: proposalKeys.all }),
  });
}
