import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Contract, PublishRequest } from "@/types/api";
import { proposalKeys } from "./keys";

/** `POST /api/v1/proposals/{id}/publish`: the new version of the contract, or 409 with the
 * verdict (who is pending, who objects) when the change policy does not hold. */
export function publishProposal(id: string, request?: PublishRequest): Promise<Contract> {
  return apiFetch<Contract>(`/api/v1/proposals/${encodeURIComponent(id)}/publish`, { method: "POST", json: request ?? {} });
}

/** Silent: a refusal is shown on the proposal with who is pending. The contract itself is
 * another feature's: `onPublished` lets the page refresh it. */
export function usePublishProposal(id: string, onPublished?: (contract: Contract) => unknown) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request?: PublishRequest) => publishProposal(id, request),
    meta: { silent: true },
    onSuccess: (contract) => Promise.all([queryClient.invalidateQueries({ queryKey: proposalKeys.all }), onPublished?.(contract)]),
  });
}
