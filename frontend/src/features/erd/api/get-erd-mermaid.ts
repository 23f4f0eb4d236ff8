import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetchText } from "@/lib/api-client";
import type { ErdParams } from "./get-erd";
import { erdKeys } from "./keys";

export function getErdMermaid(params: ErdParams, signal?: AbortSignal): Promise<string> {
  return apiFetchText("/api/v1/erd/mermaid", { params: { ...params }, signal });
}

export const erdMermaidQueryOptions = (params: ErdParams) =>
  queryOptions({
    queryKey: erdKeys.mermaid(params),
    queryFn: ({ signal }) => getErdMermaid(params, signal),
  });

export function useErdMermaid(params: ErdParams, enabled = true) {
  return useQuery({ ...erdMermaidQueryOptions(params), enabled });
}
