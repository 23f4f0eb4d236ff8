import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Watcher, WatcherCreate } from "@/types/api";
import { settingsKeys } from "./keys";

export function createWatcher(body: WatcherCreate): Promise<Watcher> {
  return apiFetch<Watcher>("/api/v1/watchers", { method: "POST", json: body });
}

export function useCreateWatcher() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createWatcher,
    meta: { errorTitle: "The watch was not added" },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.watchers() }),
  });
}
