import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { NotificationPage } from "@/types/api";
import { NOTIFICATIONS_REFRESH_MS, notificationKeys } from "./keys";

export interface NotificationParams {
  contract?: string;
  recipient?: string;
  type?: string;
  status?: string;
  channel?: string;
  since?: string;
  skip?: number;
  limit?: number;
}

export function getNotifications(params: NotificationParams, signal?: AbortSignal): Promise<NotificationPage> {
  return apiFetch<NotificationPage>("/api/v1/notifications", { params: { ...params }, signal });
}

export const notificationsQueryOptions = (params: NotificationParams) =>
  queryOptions({
    queryKey: notificationKeys.list(params),
    queryFn: ({ signal }) => getNotifications(params, signal),
    placeholderData: keepPreviousData,
    refetchInterval: NOTIFICATIONS_REFRESH_MS,
  });

export function useNotifications(params: NotificationParams) {
  return useQuery(notificationsQueryOptions(params));
}
