import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { NotificationDetail } from "@/types/api";
import { notificationKeys } from "./keys";

export function getNotification(id: string, signal?: AbortSignal): Promise<NotificationDetail> {
  return apiFetch<NotificationDetail>(`/api/v1/notifications/${encodeURIComponent(id)}`, { signal });
}

export const notificationQueryOptions = (id: string) =>
  queryOptions({
    queryKey: notificationKeys.detail(id),
    queryFn: ({ signal }) => getNotification(id, signal),
  });

export function useNotification(id: string | undefined) {
  return useQuery({ ...notificationQueryOptions(id ?? ""), enabled: Boolean(id) });
}
