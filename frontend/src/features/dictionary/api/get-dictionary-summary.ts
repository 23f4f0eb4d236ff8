import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { DictionarySummary } from "@/types/api";
import { dictionaryKeys } from "./keys";

export function getDictionarySummary(signal?: AbortSignal): Promise<DictionarySummary> {
  return apiFetch<DictionarySummary>("/api/v1/dictionary", { signal });
}

export const dictionarySummaryQueryOptions = () =>
  queryOptions({
    queryKey: dictionaryKeys.summary(),
    queryFn: ({ signal }) => getDictionarySummary(signal),
  });

export function useDictionarySummary() {
  return useQuery(dictionarySummaryQueryOptions());
}
