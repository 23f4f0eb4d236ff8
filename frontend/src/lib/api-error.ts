/** One located validation problem, as every service reports it. */
export interface ApiIssue {
  loc: string;
  message: string;
  type?: string;
}

/** A failed API call, carrying the server's `detail`, `errors` and the whole body. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  readonly errors: ApiIssue[];
  readonly body: unknown;

  constructor(status: number, detail: string, errors: ApiIssue[] = [], body: unknown = null) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
    this.errors = errors;
    this.body = body;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function locToString(loc: unknown): string {
  if (Array.isArray(loc)) return loc.map(String).join(".");
  return typeof loc === "string" ? loc : "";
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

/** Normalise the error shapes of our services (and FastAPI's own 422) into issues. */
export function issuesFrom(body: unknown): ApiIssue[] {
  if (!isRecord(body)) return [];
  const raw = Array.isArray(body.errors)
    ? body.errors
    : Array.isArray(body.detail)
      ? body.detail
      : [];
  return raw.filter(isRecord).map((item) => ({
    loc: locToString(item.loc),
    message: textOf(item.message) ?? textOf(item.msg) ?? "invalid value",
    type: typeof item.type === "string" ? item.type : undefined,
  }));
}

export function detailFrom(body: unknown, status: number, statusText: string): string {
  if (isRecord(body)) {
    if (typeof body.detail === "string" && body.detail) return body.detail;
    const issues = issuesFrom(body);
    if (issues.length > 0) {
      return issues.map((i) => (i.loc ? `${i.loc}: ${i.message}` : i.message)).join("; ");
    }
  }
  if (typeof body === "string" && body.trim() && body.length < 300 && !body.trimStart().startsWith("<")) {
    return body.trim();
  }
  return describeStatus(status, statusText);
}

function describeStatus(status: number, statusText: string): string {
  switch (status) {
    case 401:
      return "Not signed in: add an API token in Settings.";
    case 403:
      return "Your token may not do this.";
    case 404:
      return "Not found.";
    case 502:
    case 503:
    case 504:
      return "The service is not reachable right now. Is it running?";
    default:
      return `Request failed (${status}${statusText ? ` ${statusText}` : ""}).`;
  }
}

/** A readable one-line message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}
