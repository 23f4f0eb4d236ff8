import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { setToken } from "@/lib/token";
import { proposal, teamToken } from "@/test/fixtures";
import { renderRoute } from "@/test/render";
import { server } from "@/test/server";
import type { AnswerRequest, Proposal } from "@/types/api";
import ProposalsPage from "./proposals";

const OPEN = proposal();
const OTHER = proposal({
  id: "0b4d9a52-6a5e-4a8e-9a41-7c0e9f1a2b02",
  contract_name: "customers",
  affected_teams: ["marketing"],
  answers: [{ team: "marketing", answer: "pending", comment: null, answered_by: null, answered_at: null }],
  verdict: { publishable: false, reason: "approval required", summary: "0 of 1 affected teams approved; `marketing` pending", approved: [], objected: [], pending: ["marketing"], notice_ends_at: null },
});
const PUBLISHED = proposal({ id: "0b4d9a52-6a5e-4a8e-9a41-7c0e9f1a2b03", status: "published", closed_at: "2026-12-02T10:00:00+00:00", closed_by: "carla" });


function lists(seen: URLSearchParams[] = []) {
  return http.get("*/api/v1/proposals", ({ request }) => {
    const params = new URL(request.url).searchParams;
    seen.push(params);
    const status = params.get("status");
    return HttpResponse.json({ proposals: [OPEN, OTHER, PUBLISHED].filter((p) => !status || p.status === status) });
  });
}

function cards() {
  return screen.getAllByTestId("proposal-card").map((card) => card.getAttribute("data-proposal"));
}

describe("proposals page", () => {
  it("lists the open proposals with each team's answer and no buttons without a token", async () => {
    const seen: URLSearchParams[] = [];
    server.use(lists(seen));
    renderRoute(<ProposalsPage />, { path: "/proposals", url: "/proposals" });
    await screen.findAllByTestId("proposal-card");
    expect(cards()).toEqual([OPEN.id, OTHER.id]);
    expect(seen[0]?.get("status")).toBe("open");
    const first = screen.getAllByTestId("proposal-card")[0];
    expect(within(first).getByRole("link", { name: "orders 1.2.0 → 2.0.0" })).toHaveAttribute("href", `/contracts/${OPEN.contract_id}?tab=proposals`);
    expect(within(first).getByTestId("verdict-summary")).toHaveTextContent("0 of 2 affected teams approved; bi, finance pending");
    expect(within(first).getAllByRole("row").map((r) => r.getAttribute("data-answer"))).toEqual([null, "pending", "pending"]);
    expect(screen.queryByTestId("answer-form")).not.toBeInTheDocument();
  });

  it("shows a finance token the proposals it answers, and the history apart", async () => {
    setToken(teamToken(["finance"]));
    server.use(lists());
    const { router } = renderRoute(<ProposalsPage />, { path: "/proposals", url: "/proposals?tab=mine" });
    await screen.findAllByTestId("proposal-card");
    expect(cards()).toEqual([OPEN.id]);
    expect(within(screen.getByTestId("answer-form")).getByText("finance")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("tab", { name: "History" }));
    await waitFor(() => expect(cards()).toEqual([PUBLISHED.id]));
    expect(router.state.location.search).toBe("?tab=history");
    expect(screen.queryByTestId("answer-form")).not.toBeInTheDocument(); // closed: nothing to answer
  });

  it("says in the history why a pull request's proposal was withdrawn", async () => {
    const withdrawn = proposal({
      id: "5d0c1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f", status: "withdrawn", proposed_by: "github:acme/shop#12",
      closed_at: "2026-12-03T09:00:00+00:00", closed_by: "github:acme/shop#12", closed_reason: "pull request #12 closed unmerged",
    });
    server.use(http.get("*/api/v1/proposals", () => HttpResponse.json({ proposals: [withdrawn] })));
    renderRoute(<ProposalsPage />, { path: "/proposals", url: "/proposals?tab=history" });
    const card = await screen.findByTestId("proposal-card");
    expect(card).toHaveTextContent("by github:acme/shop#12: pull request #12 closed unmerged");
  });

  it("says why nothing is listed under mine without a team", async () => {
    server.use(lists());
    renderRoute(<ProposalsPage />, { path: "/proposals", url: "/proposals?tab=mine" });
    expect(await screen.findByText("No team in your API token")).toBeInTheDocument();
  });

  it("approves and objects for the token's team, with the comment, and shows the new answers", async () => {
    setToken(teamToken(["finance"]));
    const sent: { verb: string; body: AnswerRequest }[] = [];
    let current: Proposal = OPEN;
    server.use(
      http.get("*/api/v1/proposals", () => HttpResponse.json({ proposals: [current] })),
      http.post("*/api/v1/proposals/:id/:verb", async ({ params, request }) => {
        const body = (await request.json()) as AnswerRequest;
        sent.push({ verb: String(params.verb), body });
        const answer = params.verb === "approve" ? "approved" : "objected";
        current = {
          ...current,
          answers: current.answers.map((a) => (a.team === body.team ? { ...a, answer, comment: body.comment, answered_by: "fred", answered_at: "2026-12-01T11:00:00+00:00" } : a)),
        };
        return HttpResponse.json(current);
      }),
    );
    renderRoute(<ProposalsPage />, { path: "/proposals", url: "/proposals" });
    const form = await screen.findByTestId("answer-form");
    const object = within(form).getByRole("button", { name: "Object" });
    expect(object).toBeDisabled(); // an objection says why
    await userEvent.type(within(form).getByLabelText("Comment"), "We still sum status.");
    await userEvent.click(object);
    await waitFor(() => expect(screen.getByTestId("team-answers").querySelector('[data-team="finance"]')).toHaveAttribute("data-answer", "objected"));
    expect(screen.getByText("We still sum status.")).toBeInTheDocument();
    await userEvent.click(within(screen.getByTestId("answer-form")).getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(screen.getByTestId("team-answers").querySelector('[data-team="finance"]')).toHaveAttribute("data-answer", "approved"));
    expect(sent).toEqual([
      { verb: "object", body: { team: "finance", comment: "We still sum status." } },
      { verb: "approve", body: { team: "finance", comment: null } },
    ]);
  });

  it("shows the server's refusal (a superseded proposal) as a toast", async () => {
    setToken(teamToken(["finance"]));
    server.use(
      lists(),
      http.post("*/api/v1/proposals/:id/approve", () => HttpResponse.json({ detail: "proposal is superseded" }, { status: 409 })),
    );
    renderRoute(<ProposalsPage />, { path: "/proposals", url: "/proposals" });
    await userEvent.click(within(await screen.findByTestId("answer-form")).getByRole("button", { name: "Approve" }));
    expect(await screen.findByText("The approval was not recorded")).toBeInTheDocument();
    expect(screen.getByText("proposal is superseded")).toBeInTheDocument();
  });
});
