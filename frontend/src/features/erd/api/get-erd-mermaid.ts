import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetchText } from "@/lib/api-client";
import type { ErdParams } from "./get-erd";

export function getErdMermaid(params: ErdParams, signal?: AbortSignal): Promise<string> {
  return apiFetchText("/api/v1/erd/mermaid", { params: { ...params }, signal });
}

export const erdMermaidQueryOptions = (params: ErdParams) =>
  queryOptions({
    queryKey: ["erd", "mermaid", params] as const,
    queryFn: ({ signal }) => getErdMermaid(params, signal),
  });

export function useErdMermaid(params: ErdParams, enabled = true) {
  return useQuery({ ...erdMermaidQueryOptions(params), enabled });
}
