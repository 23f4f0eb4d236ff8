import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Contract } from "@/types/api";
import { contractKeys } from "./keys";

export function deprecateContract(id: string, reason?: string): Promise<Contract> {
  return apiFetch<Contract>(`/api/v1/contracts/${encodeURIComponent(id)}`, { method: "DELETE", params: { reason } });
}

export function useDeprecateContract(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason?: string) => deprecateContract(id, reason),
    meta: { errorTitle: "The contract was not deprecated" },
    onSuccess: (contract) => {
      queryClient.setQueryData(contractKeys.detail(id), contract);
      return queryClient.invalidateQueries({ queryKey: contractKeys.all });
    },
  });
}
