import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { settingsKeys } from "./keys";
import { watcherLinkHeaders } from "../lib/email-links";

/** `email` is the watched address: the link of its e-mail, if this tab has one, goes along. */
export function deleteWatcher(id: string, email: string): Promise<void> {
  return apiFetch<void>(`/api/v1/watchers/${encodeURIComponent(id)}`, { method: "DELETE", headers: watcherLinkHeaders(email) });
}

export function useDeleteWatcher(email: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteWatcher(id, email),
    meta: { errorTitle: "The watch was not removed" },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.watchers() }),
  });
}
