import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Contract, ContractDocument } from "@/types/api";
import { contractKeys } from "./keys";

export function createContract(document: ContractDocument): Promise<Contract> {
  return apiFetch<Contract>("/api/v1/contracts", { method: "POST", json: document });
}

export function useCreateContract() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createContract,
    meta: { errorTitle: "The contract was not created" },
    onSuccess: (contract) => {
      queryClient.setQueryData(contractKeys.detail(contract.id), contract);
      return queryClient.invalidateQueries({ queryKey: contractKeys.lists() });
    },
  });
}
