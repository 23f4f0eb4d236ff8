import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Contract, ContractDocument } from "@/types/api";
import { contractKeys } from "./keys";

export function updateContract(id: string, document: ContractDocument): Promise<Contract> {
  return apiFetch<Contract>(`/api/v1/contracts/${encodeURIComponent(id)}`, { method: "PUT", json: document });
}

export function useUpdateContract(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (document: ContractDocument) => updateContract(id, document),
    meta: { errorTitle: "The contract was not saved" },
    onSuccess: (contract) => {
      queryClient.setQueryData(contractKeys.detail(id), contract);
      return queryClient.invalidateQueries({ queryKey: contractKeys.all });
    },
  });
}
