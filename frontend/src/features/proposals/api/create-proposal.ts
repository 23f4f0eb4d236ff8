import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Proposal } from "@/types/api";
import { proposalKeys } from "./keys";

/** `POST /api/v1/contracts/{id}/proposals` with the new document as YAML (or JSON: YAML is a
 * superset), sent as typed: the server parses and validates it and says what is wrong. */
export function createProposal(contractId: string, yaml: string): Promise<Proposal> {
  return apiFetch<Proposal>(`/api/v1/contracts/${encodeURIComponent(contractId)}/proposals`, { method: "POST", body: yaml, contentType: "application/yaml" });
}

/** Silent: the form shows the server's message where the document is typed. */
export function useCreateProposal(contractId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (yaml: string) => createProposal(contractId, yaml),
    meta: { silent: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: proposalKeys.all }),
  });
}
