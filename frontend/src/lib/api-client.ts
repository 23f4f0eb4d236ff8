import { ApiError, detailFrom, issuesFrom } from "@/lib/api-error";
import { getToken } from "@/lib/token";

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue | QueryValue[]>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  params?: QueryParams;
  /** A JSON body (objects are serialised) */
  json?: unknown;
  /** A raw body with its own content type (e.g. YAML) */
  body?: string;
  contentType?: string;
  accept?: string;
  /** Extra request headers (e.g. X-DataPact-Link) */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** `/api/v1/x` + query string, leaving out empty values; arrays repeat the key. */
export function buildUrl(path: string, params?: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v === undefined || v === null || v === "") continue;
      search.append(key, String(v));
    }
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers = new Headers({ Accept: options.accept ?? "application/json" });
  const token = getToken();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  let body: string | undefined;
  if (options.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    headers.set("Content-Type", options.contentType ?? "text/plain");
    body = options.body;
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.params), {
      method: options.method ?? "GET",
      headers,
      body,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "Cannot reach the server. Check your connection and that the services run.");
  }
  if (!response.ok) {
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    throw new ApiError(response.status, detailFrom(parsed, response.status, response.statusText), issuesFrom(parsed), parsed);
  }
  return response;
}

/** Call the API and return its JSON body. */
export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Call the API and return its body as text (YAML, Mermaid). */
export async function apiFetchText(path: string, options: RequestOptions = {}): Promise<string> {
  const response = await send(path, { accept: "text/plain, */*", ...options });
  return response.text();
}
