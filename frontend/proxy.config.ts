// The one-origin proxy table of FRONTEND.md: every /api/v1/... prefix goes to the service that
// owns it (the services' paths never collide, so nothing is rewritten). nginx.conf repeats it.
export interface ServiceTargets {
  contracts: string;
  dictionary: string;
  notifications: string;
  monitor: string;
}

export function serviceTargets(env: Record<string, string | undefined>): ServiceTargets {
  return {
    contracts: env.CONTRACT_SERVICE_URL ?? "http://127.0.0.1:8001",
    dictionary: env.DICTIONARY_SERVICE_URL ?? "http://127.0.0.1:8002",
    notifications: env.NOTIFICATION_SERVICE_URL ?? "http://127.0.0.1:8004",
    monitor: env.MONITOR_SERVICE_URL ?? "http://127.0.0.1:8005",
  };
}

export const PROXY_PREFIXES: Record<keyof ServiceTargets, string[]> = {
  contracts: ["/api/v1/contracts", "/api/v1/compliance", "/api/v1/webhooks", "/api/v1/drafts", "/api/v1/proposals"],
  dictionary: ["/api/v1/dictionary", "/api/v1/erd"],
  notifications: [
    "/api/v1/events",
    "/api/v1/notifications",
    "/api/v1/watchers",
    "/api/v1/preferences",
  ],
  monitor: ["/api/v1/checks", "/api/v1/status"],
};

export function proxyTable(targets: ServiceTargets): Record<string, { target: string; changeOrigin: boolean }> {
  const table: Record<string, { target: string; changeOrigin: boolean }> = {};
  for (const service of Object.keys(PROXY_PREFIXES) as (keyof ServiceTargets)[]) {
    for (const prefix of PROXY_PREFIXES[service]) {
      table[prefix] = { target: targets[service], changeOrigin: true };
    }
  }
  return table;
}
