import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { RunResponse } from "@/types/api";
import { contractKeys } from "@/features/contracts/api/keys";
import { complianceKeys } from "./keys";

/** Ask the compliance monitor to check one contract now (it records the results). */
export function runChecks(contractId: string): Promise<RunResponse> {
  return apiFetch<RunResponse>(`/api/v1/checks/${encodeURIComponent(contractId)}/run`, { method: "POST" });
}

export function useRunChecks(contractId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => runChecks(contractId),
    meta: { errorTitle: "The checks did not run" },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: contractKeys.detail(contractId) }),
        queryClient.invalidateQueries({ queryKey: complianceKeys.all }),
      ]),
  });
}
