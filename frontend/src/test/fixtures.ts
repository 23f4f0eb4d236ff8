import type { ChangeReport, Contract, Proposal } from "@/types/api";

export function contract(overrides: Partial<Contract> = {}): Contract {
  return {
    id: "6f1c3f2e-8d7a-4a55-9a55-3e7f4c1f0a01",
    created_at: "2026-11-20T10:00:00+00:00",
    updated_at: "2026-11-24T10:00:00+00:00",
    compliance: { status: "pass", checks: { schema: { status: "pass", checked_at: "2026-11-24T10:00:00+00:00", error_message: null } } },
    name: "orders",
    version: "1.2.0",
    description: "Orders placed in the web shop.",
    status: "active",
    table: null,
    publisher: { team: "commerce", owner: "orders-service", contact_email: "commerce@acme.example", repository_url: null },
    schema: [
      { name: "order_id", data_type: "uuid", nullable: false, is_primary_key: true, description: "Order identifier", constraints: [] },
      { name: "customer_id", data_type: "uuid", nullable: false, is_foreign_key: true, foreign_key_reference: "customers.customer_id", constraints: [] },
      { name: "status", data_type: "string", nullable: false, constraints: [{ type: "enum", value: ["pending", "shipped"] }] },
    ],
    quality: [{ metric_type: "freshness", threshold: "15 minutes", alert_on_breach: true }],
    access: { endpoint_url: "http://127.0.0.1:8003", methods: ["GET"], auth_type: "none", required_scopes: [], rate_limit: null },
    subscribers: [{ team: "analytics", use_case: "Revenue dashboards", fields_used: ["order_id", "status"], contact_email: "analytics@acme.example" }],
    tags: ["core", "revenue"],
    metadata: {},
    ...overrides,
  };
}

export function changeReport(overrides: Partial<ChangeReport> = {}): ChangeReport {
  return {
    old_version: "1.2.0",
    new_version: "1.2.0",
    changes: [{ kind: "field_removed", severity: "breaking", path: "schema.status", field: "status", message: "field 'status' removed", affected_subscribers: ["analytics"], versioned: true }],
    required_bump: "major",
    actual_bump: "none",
    bump_ok: false,
    violation: "major version bump required (at least 2.0.0), got none",
    ...overrides,
  };
}

export function proposal(overrides: Partial<Proposal> = {}): Proposal {
  return {
    id: "0b4d9a52-6a5e-4a8e-9a41-7c0e9f1a2b01",
    contract_id: "6f1c3f2e-8d7a-4a55-9a55-3e7f4c1f0a01",
    contract_name: "orders",
    base_version: "1.2.0",
    proposed_version: "2.0.0",
    status: "open",
    proposed_by: "carla",
    created_at: "2026-12-01T10:00:00+00:00",
    updated_at: "2026-12-01T10:00:00+00:00",
    closed_at: null,
    closed_by: null,
    superseded_by: null,
    policy: { notice_days: 14, require_approval: true },
    changes: [{ kind: "field_removed", severity: "breaking", path: "schema.status", field: "status", message: "field 'status' removed", affected_subscribers: ["bi", "finance"], versioned: true }],
    affected_teams: ["bi", "finance"],
    answers: [
      { team: "bi", answer: "pending", comment: null, answered_by: null, answered_at: null },
      { team: "finance", answer: "pending", comment: null, answered_by: null, answered_at: null },
    ],
    history: [],
    verdict: { publishable: false, reason: "approval required", summary: "0 of 2 affected teams approved; `bi`, `finance` pending", approved: [], objected: [], pending: ["bi", "finance"], notice_ends_at: "2026-12-15T10:00:00+00:00" },
    override: null,
    ...overrides,
  };
}

const part = (value: object) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** A token the dashboard decodes (the MSW handlers do not check signatures). */
export function teamToken(teams: string[], sub = "fred"): string {
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub, teams, scopes: ["contracts:write"] })}.signature`;
}

/** An admin token, decoded like any other. */
export function adminToken(sub = "ada"): string {
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub, teams: [], scopes: ["admin"] })}.signature`;
}
