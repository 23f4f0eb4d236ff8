import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ErdGraph } from "@/types/api";
import { erdKeys } from "./keys";

export interface ErdParams {
  team?: string;
  dataset?: string;
  depth?: number;
}

export function getErd(params: ErdParams, signal?: AbortSignal): Promise<ErdGraph> {
  return apiFetch<ErdGraph>("/api/v1/erd", { params: { ...params }, signal });
}

export const erdQueryOptions = (params: ErdParams) =>
  queryOptions({
    queryKey: erdKeys.graph(params),
    queryFn: ({ signal }) => getErd(params, signal),
    placeholderData: keepPreviousData,
  });

export function useErd(params: ErdParams) {
  return useQuery(erdQueryOptions(params));
}
