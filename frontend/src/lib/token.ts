// The API token lives in the browser only (Settings page); every request sends it as Bearer.
const KEY = "datapact.token";
const listeners = new Set<() => void>();

export function getToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token && token.trim()) localStorage.setItem(KEY, token.trim());
  else localStorage.removeItem(KEY);
  listeners.forEach((listener) => listener());
}

export function subscribeToken(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The token's claims, decoded for display only (the services verify the signature). */
export interface TokenClaims {
  sub?: string;
  teams?: string[];
  scopes?: string[];
  email?: string;
  exp?: number;
}

// only claims of the expected type are kept: the page renders them
function claimsFrom(raw: Record<string, unknown>): TokenClaims {
  const strings = (value: unknown) => (Array.isArray(value) && value.every((item) => typeof item === "string") ? value : undefined);
  return {
    sub: typeof raw.sub === "string" ? raw.sub : undefined,
    teams: strings(raw.teams),
    scopes: strings(raw.scopes),
    exp: typeof raw.exp === "number" ? raw.exp : undefined,
  };
}

export function decodeToken(token: string): TokenClaims | null {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const claims: unknown = JSON.parse(json);
    return typeof claims === "object" && claims !== null && !Array.isArray(claims) ? claimsFrom(claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
