import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { WatcherPage } from "@/types/api";
import { settingsKeys } from "./keys";
import { watcherLinkHeaders } from "../lib/email-links";

export function getWatchers(target: string, signal?: AbortSignal): Promise<WatcherPage> {
  return apiFetch<WatcherPage>("/api/v1/watchers", { params: { target, limit: 500 }, signal, headers: watcherLinkHeaders(target) });
}

export const watchersQueryOptions = (target: string) =>
  queryOptions({
    queryKey: settingsKeys.watchersOf(target),
    queryFn: ({ signal }) => getWatchers(target, signal),
  });

export function useWatchers(target: string) {
  return useQuery({ ...watchersQueryOptions(target), enabled: Boolean(target) });
}
