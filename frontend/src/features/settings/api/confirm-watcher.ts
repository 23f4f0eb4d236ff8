import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Watcher } from "@/types/api";
import { linkHeaders } from "../lib/email-links";
import { settingsKeys } from "./keys";

/** Only the watched address confirms: a token owning it, or its confirmation e-mail's link. */
export function confirmWatcher(id: string, email: string): Promise<Watcher> {
  return apiFetch<Watcher>(`/api/v1/watchers/${encodeURIComponent(id)}/confirm`, { method: "POST", headers: linkHeaders("watchers", email) });
}

export function useConfirmWatcher(email: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => confirmWatcher(id, email),
    meta: { errorTitle: "The watch was not confirmed" },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.watchers() }),
  });
}
