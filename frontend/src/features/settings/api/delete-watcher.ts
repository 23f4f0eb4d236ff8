import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { settingsKeys } from "./keys";

export function deleteWatcher(id: string): Promise<void> {
  return apiFetch<void>(`/api/v1/watchers/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function useDeleteWatcher() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteWatcher,
    meta: { errorTitle: "The watch was not removed" },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.watchers() }),
  });
}
