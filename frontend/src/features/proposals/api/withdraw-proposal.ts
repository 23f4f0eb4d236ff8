import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Proposal } from "@/types/api";
import { proposalKeys } from "./keys";

/** `POST /api/v1/proposals/{id}/withdraw`: the publisher team or an admin (409 if not open). */
export function withdrawProposal(id: string): Promise<Proposal> {
  return apiFetch<Proposal>(`/api/v1/proposals/${encodeURIComponent(id)}/withdraw`, { method: "POST" });
}

export function useWithdrawProposal(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => withdrawProposal(id),
    meta: { errorTitle: "The proposal was not withdrawn" },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: proposalKeys.all }),
  });
}
