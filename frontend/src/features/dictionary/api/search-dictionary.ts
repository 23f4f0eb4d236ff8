import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ContractStatus, DataType, HitKind, SearchResponse } from "@/types/api";
import { dictionaryKeys } from "./keys";

export interface DictionarySearchParams {
  q?: string;
  data_type?: DataType;
  is_pii?: boolean;
  team?: string;
  tag?: string;
  status?: ContractStatus;
  kind?: HitKind;
  skip?: number;
  limit?: number;
}

export function searchDictionary(params: DictionarySearchParams, signal?: AbortSignal): Promise<SearchResponse> {
  return apiFetch<SearchResponse>("/api/v1/dictionary/search", { params: { ...params }, signal });
}

export const dictionarySearchQueryOptions = (params: DictionarySearchParams) =>
  queryOptions({
    queryKey: dictionaryKeys.search(params),
    queryFn: ({ signal }) => searchDictionary(params, signal),
    placeholderData: keepPreviousData,
  });

export function useDictionarySearch(params: DictionarySearchParams) {
  return useQuery(dictionarySearchQueryOptions(params));
}
