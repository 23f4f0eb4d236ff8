export const settingsKeys = {
  all: ["settings"] as const,
  watchers: () => [...settingsKeys.all, "watchers"] as const,
  watchersOf: (target: string) => [...settingsKeys.watchers(), target] as const,
  preferences: (email: string) => [...settingsKeys.all, "preferences", email] as const,
};
