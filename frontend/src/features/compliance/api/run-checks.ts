import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { RunResponse } from "@/types/api";
import { complianceKeys } from "./keys";

/** Ask the compliance monitor to check one contract now (it records the results). */
export function runChecks(contractId: string): Promise<RunResponse> {
  return apiFetch<RunResponse>(`/api/v1/checks/${encodeURIComponent(contractId)}/run`, { method: "POST" });
}

/**
 * The results change the compliance queries (refreshed here) and the contract's own summary:
 * `onChecked` refreshes what the caller shows of the contract (the route owns it).
 */
export function useRunChecks(contractId: string, { onChecked }: { onChecked?: () => Promise<unknown> } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => runChecks(contractId),
    meta: { errorTitle: "The checks did not run" },
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: complianceKeys.all }), onChecked?.()]),
  });
}
