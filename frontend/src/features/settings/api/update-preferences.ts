import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Preference, PreferenceIn } from "@/types/api";
import { linkHeaders } from "../lib/email-links";
import { settingsKeys } from "./keys";

export function updatePreferences(email: string, body: PreferenceIn): Promise<Preference> {
  return apiFetch<Preference>(`/api/v1/preferences/${encodeURIComponent(email)}`, { method: "PUT", json: body, headers: linkHeaders("preferences", email) });
}

export function useUpdatePreferences(email: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PreferenceIn) => updatePreferences(email, body),
    meta: { errorTitle: "The preferences were not saved" },
    onSuccess: (saved) => queryClient.setQueryData(settingsKeys.preferences(email), saved),
  });
}
