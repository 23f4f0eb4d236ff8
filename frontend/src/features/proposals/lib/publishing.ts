import { ApiError } from "@/lib/api-error";
import type { PublishRefusal } from "@/types/api";

interface Claims {
  teams?: string[];
  scopes?: string[];
}

export function isAdmin(claims: Claims | null | undefined): boolean {
  return claims?.scopes?.includes("admin") ?? false;
}

/** May a token with `claims` propose, withdraw and publish for a contract of `team`? As the
 * contract-service decides (`Principal.can_write_team`): an admin, or `contracts:write` with
 * the team. The server still checks; this only hides buttons that would be refused. */
export function mayPublish(claims: Claims | null | undefined, team: string): boolean {
  if (isAdmin(claims)) return true;
  return (claims?.scopes?.includes("contracts:write") ?? false) && (claims?.teams?.includes(team) ?? false);
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : undefined;
}

/** What a refused publish says: the server's detail, and for a policy that does not hold
 * the verdict's teams (pending, objected, approved). `null` for anything but an API error. */
export function publishRefusal(error: unknown): PublishRefusal | null {
  if (!(error instanceof ApiError)) return null;
  const body = typeof error.body === "object" && error.body !== null && !Array.isArray(error.body) ? (error.body as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return {
    detail: error.detail,
    proposal_id: text(body.proposal_id),
    publishable: typeof body.publishable === "boolean" ? body.publishable : undefined,
    reason: text(body.reason),
    summary: text(body.summary),
    approved: strings(body.approved),
    objected: strings(body.objected),
    pending: strings(body.pending),
    notice_ends_at: text(body.notice_ends_at) ?? null,
  };
}
