import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { setToken } from "@/lib/token";
import { contract, proposal, teamToken } from "@/test/fixtures";
import { renderRoute } from "@/test/render";
import { server } from "@/test/server";
import type { ContractDocument, DeprecationList } from "@/types/api";
import ContractPage from "./contract";

const CONTRACT = contract();
const BASE: ContractDocument = { ...CONTRACT };
for (const key of ["id", "created_at", "updated_at", "compliance"]) delete (BASE as unknown as Record<string, unknown>)[key];
const PROPOSED: ContractDocument = { ...BASE, version: "2.0.0", schema: BASE.schema.filter((f) => f.name !== "status") };
const OPEN = proposal();
const STALE = proposal({ id: "0b4d9a52-6a5e-4a8e-9a41-7c0e9f1a2b09", status: "stale", proposed_version: "1.9.0", closed_at: "2026-11-30T10:00:00+00:00" });
const DEPRECATIONS: DeprecationList = {
  contract_id: CONTRACT.id,
  name: "orders",
  fields: [{ field: "customer_id", since: "2026-12-01", sunset: "2027-03-01", replacement: "order_id", days_left: 86, not_migrated: ["analytics"], migrated: ["bi"], reminders_sent: ["notice"] }],
};


function handlers() {
  server.use(
    http.get("*/api/v1/contracts/:id", () => HttpResponse.json(CONTRACT)),
    http.get("*/api/v1/contracts/:id/proposals", () => HttpResponse.json({ contract_id: CONTRACT.id, name: "orders", proposals: [OPEN, STALE] })),
    http.get("*/api/v1/proposals/:id", () => HttpResponse.json({ ...OPEN, document: PROPOSED })),
    http.get("*/api/v1/contracts/:id/versions/:version", () => HttpResponse.json(BASE)),
    http.get("*/api/v1/contracts/:id/deprecations", () => HttpResponse.json(DEPRECATIONS)),
  );
}

describe("contract page: proposals", () => {
  it("shows the open proposal's changes side by side, each team's answer, the earlier ones and the deprecated fields", async () => {
    handlers();
    renderRoute(<ContractPage />, { path: "/contracts/:id", url: `/contracts/${CONTRACT.id}?tab=proposals` });
    const diff = await screen.findByTestId("side-by-side-diff");
    expect(within(diff).getByText("Version 1.2.0 (current)")).toBeInTheDocument();
    expect(within(diff).getByText("Proposed 2.0.0")).toBeInTheDocument();
    const removed = [...diff.querySelectorAll('tr[data-kind="removed"], tr[data-kind="changed"]')].map((row) => row.textContent ?? "");
    expect(removed.some((text) => text.includes("name: status"))).toBe(true);
    expect(screen.getByText("field 'status' removed")).toBeInTheDocument();
    const card = screen.getByTestId("proposal-card");
    expect(card).toHaveAttribute("data-status", "open");
    expect(within(card).getAllByRole("row").map((r) => r.getAttribute("data-team"))).toContain("finance");
    expect(within(screen.getByTestId("proposal-history")).getByText("1.2.0 → 1.9.0")).toBeInTheDocument();
    const field = within(screen.getByTestId("deprecated-fields")).getAllByRole("row")[1];
    expect(field).toHaveTextContent("customer_id");
    expect(field).toHaveTextContent("2027-03-01 (in 86 days)");
    expect(within(field).getByTestId("not-migrated")).toHaveTextContent("analytics");
    expect(screen.queryByTestId("answer-form")).not.toBeInTheDocument();
  });

  it("offers approve and object to a token of an affected team", async () => {
    setToken(teamToken(["analytics", "bi"]));
    handlers();
    renderRoute(<ContractPage />, { path: "/contracts/:id", url: `/contracts/${CONTRACT.id}?tab=proposals` });
    const form = await screen.findByTestId("answer-form");
    expect(within(form).getByText("bi")).toBeInTheDocument();
    expect(within(form).getByRole("button", { name: "Approve" })).toBeEnabled();
    expect(within(form).getByRole("button", { name: "Object" })).toBeInTheDocument();
  });
});
