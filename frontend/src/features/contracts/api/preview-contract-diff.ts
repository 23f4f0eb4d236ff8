import { keepPreviousData, queryOptions, skipToken, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ChangeReport, ContractDocument } from "@/types/api";
import { contractKeys } from "./keys";

/** Dry run: what the proposed document changes and which version bump it needs (nothing saved). */
export function previewContractDiff(id: string, document: ContractDocument, signal?: AbortSignal): Promise<ChangeReport> {
  return apiFetch<ChangeReport>(`/api/v1/contracts/${encodeURIComponent(id)}/diff`, { method: "POST", json: document, signal });
}

export const previewDiffQueryOptions = (id: string, document: ContractDocument | null) =>
  queryOptions({
    queryKey: contractKeys.previewDiff(id, document),
    queryFn: document ? ({ signal }) => previewContractDiff(id, document, signal) : skipToken,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
    // Shown inline next to the form, not as a toast on every keystroke.
    meta: { silent: true },
  });

export function usePreviewContractDiff(id: string, document: ContractDocument | null) {
  return useQuery(previewDiffQueryOptions(id, document));
}
