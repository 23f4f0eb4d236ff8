import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { Preference } from "@/types/api";
import { linkHeaders } from "../lib/email-links";
import { settingsKeys } from "./keys";

export function getPreferences(email: string, signal?: AbortSignal): Promise<Preference> {
  return apiFetch<Preference>(`/api/v1/preferences/${encodeURIComponent(email)}`, { signal, headers: linkHeaders("preferences", email) });
}

export const preferencesQueryOptions = (email: string) =>
  queryOptions({
    queryKey: settingsKeys.preferences(email),
    queryFn: ({ signal }) => getPreferences(email, signal),
  });

export function usePreferences(email: string) {
  return useQuery({ ...preferencesQueryOptions(email), enabled: Boolean(email) });
}
