export const notificationKeys = {
  all: ["notifications"] as const,
  lists: () => [...notificationKeys.all, "list"] as const,
  list: (params: object) => [...notificationKeys.lists(), params] as const,
  detail: (id: string) => [...notificationKeys.all, "detail", id] as const,
};

/** New notifications arrive while the page is open: poll the lists. */
export const NOTIFICATIONS_REFRESH_MS = 30_000;
