import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { setToken } from "@/lib/token";
import { adminToken, contract, proposal, teamToken } from "@/test/fixtures";
import { renderRoute } from "@/test/render";
import { server } from "@/test/server";
import type { Contract, ContractDocument, Proposal, PublishRequest } from "@/types/api";
import ContractPage from "./contract";

// The publisher's side of the contract page's Proposals tab: propose, withdraw, publish.
const CONTRACT = contract({ change_policy: { notice_days: 14, require_approval: true } });
const BASE: ContractDocument = { ...CONTRACT };
for (const key of ["id", "created_at", "updated_at", "compliance"]) delete (BASE as unknown as Record<string, unknown>)[key];
const OPEN = proposal();
const URL_ = `/contracts/${CONTRACT.id}?tab=proposals`;

interface Sent {
  proposals: { contentType: string | null; body: string }[];
  withdrawn: string[];
  published: { id: string; body: PublishRequest }[];
  contractReads: number;
}

/** A stateful contract-service: what the page sends is recorded, the lists follow it. */
function backend(initial: Proposal[], replies: { propose?: () => Response | undefined; publish?: () => Response | undefined } = {}) {
  let proposals = [...initial];
  let current: Contract = CONTRACT;
  const sent: Sent = { proposals: [], withdrawn: [], published: [], contractReads: 0 };
  server.use(
    http.get("*/api/v1/contracts/:id", () => {
      sent.contractReads += 1;
      return HttpResponse.json(current);
    }),
    http.get("*/api/v1/contracts/:id/proposals", () => HttpResponse.json({ contract_id: CONTRACT.id, name: "orders", proposals })),
    http.get("*/api/v1/proposals/:id", ({ params }) => HttpResponse.json({ ...proposals.find((p) => p.id === params.id), document: { ...BASE, version: "2.0.0" } })),
    http.get("*/api/v1/contracts/:id/versions/:version", () => HttpResponse.json(BASE)),
    http.get("*/api/v1/contracts/:id/deprecations", () => HttpResponse.json({ contract_id: CONTRACT.id, name: "orders", fields: [] })),
    http.post("*/api/v1/contracts/:id/proposals", async ({ request }) => {
      sent.proposals.push({ contentType: request.headers.get("Content-Type"), body: await request.text() });
      const refused = replies.propose?.();
      if (refused) return refused;
      const made = proposal({ id: "0b4d9a52-6a5e-4a8e-9a41-7c0e9f1a2b77", proposed_version: "3.0.0", proposed_by: "carla" });
      proposals = [made, ...proposals.map((p) => (p.status === "open" ? { ...p, status: "superseded" as const } : p))];
      return HttpResponse.json(made, { status: 201 });
    }),
    http.post("*/api/v1/proposals/:id/withdraw", ({ params }) => {
      sent.withdrawn.push(String(params.id));
      proposals = proposals.map((p) => (p.id === params.id ? { ...p, status: "withdrawn" as const, closed_at: "2026-12-05T10:00:00+00:00", closed_by: "carla" } : p));
      return HttpResponse.json(proposals.find((p) => p.id === params.id));
    }),
    http.post("*/api/v1/proposals/:id/publish", async ({ params, request }) => {
      sent.published.push({ id: String(params.id), body: (await request.json()) as PublishRequest });
      const refused = replies.publish?.();
      if (refused) return refused;
      current = { ...CONTRACT, version: "2.0.0" };
      proposals = proposals.map((p) => (p.id === params.id ? { ...p, status: "published" as const, closed_at: "2026-12-05T10:00:00+00:00" } : p));
      return HttpResponse.json(current);
    }),
  );
  return sent;
}

describe("contract page: the publisher's proposals", () => {
  it("offers no propose, publish or withdraw to a token of another team", async () => {
    setToken(teamToken(["bi"]));
    backend([OPEN]);
    renderRoute(<ContractPage />, { path: "/contracts/:id", url: URL_ });
    await screen.findByTestId("answer-form");
    expect(screen.queryByRole("button", { name: "Propose a change" })).not.toBeInTheDocument();
    expect(screen.queryByTestId("publisher-actions")).not.toBeInTheDocument();
  });

  it("proposes the edited current version as YAML, showing the server's refusal as it says it", async () => {
    setToken(teamToken(["commerce"], "carla"));
    let refuse = true;
    const detail = "invalid contract: schema.0.data_type: Input should be 'string', 'integer' or 'uuid'";
    const sent = backend([], {
      propose: () =>
        refuse
          ? HttpResponse.json(
              {
                detail,
                errors: [
                  { loc: "schema.0.data_type", message: "Input should be 'string', 'integer' or 'uuid'", type: "enum" },
                  { loc: "version", message: "not a semantic version", type: "value_error" },
                ],
              },
              { status: 422 },
            )
          : undefined,
    });
    const user = userEvent.setup();
    renderRoute(<ContractPage />, { path: "/contracts/:id", url: URL_ });
    await user.click(await screen.findByRole("button", { name: "Propose a change" }));
    const dialog = await screen.findByRole("dialog");
    const text = within(dialog).getByLabelText<HTMLTextAreaElement>("Proposed document");
    expect(text.value).toContain("name: orders");
    expect(text.value).toContain("version: 1.2.0");
    expect(text.value).toContain("require_approval: true");
    expect(text.value).not.toContain("compliance");
    const edited = text.value.replace("version: 1.2.0", "version: 2.0.0").replace("data_type: uuid", "data_type: guid");
    await user.clear(text);
    await user.click(text);
    await user.paste(edited);
    await user.click(within(dialog).getByRole("button", { name: "Propose" }));
    const error = await within(dialog).findByTestId("propose-error");
    expect(error).toHaveTextContent(detail);
    expect(error).toHaveTextContent("version: not a semantic version");
    expect(sent.proposals[0]).toEqual({ contentType: "application/yaml", body: edited });

    refuse = false;
    await user.click(within(dialog).getByRole("button", { name: "Propose" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    const card = await screen.findByTestId("proposal-card");
    expect(card).toHaveAttribute("data-proposal", "0b4d9a52-6a5e-4a8e-9a41-7c0e9f1a2b77");
    expect(within(card).getByText("orders 1.2.0 → 3.0.0")).toBeInTheDocument();
    expect(sent.proposals).toHaveLength(2);
  });

  it("loads a file into the document", async () => {
    setToken(teamToken(["commerce"], "carla"));
    backend([]);
    const user = userEvent.setup();
    renderRoute(<ContractPage />, { path: "/contracts/:id", url: URL_ });
    await user.click(await screen.findByRole("button", { name: "Propose a change" }));
    const dialog = await screen.findByRole("dialog");
    await user.upload(within(dialog).getByLabelText("Load a YAML or JSON file"), new File(["name: orders\nversion: 9.0.0\n"], "orders.yaml", { type: "application/yaml" }));
    await waitFor(() => expect(within(dialog).getByLabelText<HTMLTextAreaElement>("Proposed document").value).toBe("name: orders\nversion: 9.0.0\n"));
    await user.click(within(dialog).getByRole("button", { name: /Back to the current version/ }));
    expect(within(dialog).getByLabelText<HTMLTextAreaElement>("Proposed document").value).toContain("version: 1.2.0");
  });

  it("withdraws the open proposal, which moves to the earlier ones", async () => {
    setToken(teamToken(["commerce"], "carla"));
    const sent = backend([OPEN]);
    const user = userEvent.setup();
    renderRoute(<ContractPage />, { path: "/contracts/:id", url: URL_ });
    const actions = await screen.findByTestId("publisher-actions");
    await user.click(within(actions).getByRole("button", { name: "Withdraw" }));
    const history = await screen.findByTestId("proposal-history");
    expect(within(history).getByText("1.2.0 → 2.0.0")).toBeInTheDocument();
    expect(within(history).getByText("withdrawn")).toBeInTheDocument();
    expect(screen.queryByTestId("proposal-card")).not.toBeInTheDocument();
    expect(sent.withdrawn).toEqual([OPEN.id]);
  });

  it("shows who is pending and who objects when the publish is refused", async () => {
    setToken(teamToken(["commerce"], "carla"));
    const summary = "0 of 2 affected teams approved; `bi` pending; `finance` objected";
    const sent = backend([OPEN], {
      publish: () =>
        HttpResponse.json(
          {
            detail: `the change policy of 'orders' does not hold yet: approval required (${summary})`,
            proposal_id: OPEN.id,
            publishable: false,
            reason: "approval required",
            summary,
            approved: [],
            objected: ["finance"],
            pending: ["bi"],
            notice_ends_at: null,
          },
          { status: 409 },
        ),
    });
    const user = userEvent.setup();
    renderRoute(<ContractPage />, { path: "/contracts/:id", url: URL_ });
    const actions = await screen.findByTestId("publisher-actions");
    expect(within(actions).queryByRole("button", { name: /Publish over the policy/ })).not.toBeInTheDocument();
    await user.click(within(actions).getByRole("button", { name: "Publish 2.0.0" }));
    const refused = await within(actions).findByTestId("publish-refused");
    expect(refused).toHaveTextContent("the change policy of 'orders' does not hold yet: approval required");
    expect(within(refused).getByTestId("refused-pending")).toHaveTextContent("Pending:bi");
    expect(within(refused).getByTestId("refused-objected")).toHaveTextContent("Objecting:finance");
    expect(sent.published).toEqual([{ id: OPEN.id, body: {} }]);
  });

  it("publishes a publishable proposal and refreshes the contract", async () => {
    setToken(teamToken(["commerce"], "carla"));
    const ready = proposal({ verdict: { ...OPEN.verdict, publishable: true, summary: "2 of 2 affected teams approved", approved: ["bi", "finance"], pending: [] } });
    const sent = backend([ready]);
    const user = userEvent.setup();
    renderRoute(<ContractPage />, { path: "/contracts/:id", url: URL_ });
    const actions = await screen.findByTestId("publisher-actions");
    const reads = sent.contractReads;
    await user.click(within(actions).getByRole("button", { name: "Publish 2.0.0" }));
    expect(await screen.findByText("v2.0.0")).toBeInTheDocument();
    expect(sent.contractReads).toBeGreaterThan(reads);
    expect(within(await screen.findByTestId("proposal-history")).getByText("published")).toBeInTheDocument();
  });

  it("lets an admin publish over the policy with a reason, after confirming", async () => {
    setToken(adminToken());
    const sent = backend([OPEN]);
    const user = userEvent.setup();
    renderRoute(<ContractPage />, { path: "/contracts/:id", url: URL_ });
    const actions = await screen.findByTestId("publisher-actions");
    await user.click(within(actions).getByRole("button", { name: /Publish over the policy/ }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("recorded on the proposal");
    expect(dialog).toHaveTextContent("announced to every subscriber");
    const confirm = within(dialog).getByRole("button", { name: "Publish over the policy" });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText(/Reason/), "Legal deadline");
    await user.click(confirm);
    await waitFor(() => expect(sent.published).toEqual([{ id: OPEN.id, body: { override: true, reason: "Legal deadline" } }]));
    expect(await screen.findByText("v2.0.0")).toBeInTheDocument();
  });
});
