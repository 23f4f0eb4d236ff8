import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { contract } from "@/test/fixtures";
import { renderRoute } from "@/test/render";
import { server } from "@/test/server";
import ContractsPage from "./contracts";

const contracts = [
  contract({ id: "00000000-0000-4000-8000-000000000001", name: "alpha", version: "1.10.0" }),
  contract({ id: "00000000-0000-4000-8000-000000000002", name: "beta", version: "1.9.0" }),
  contract({ id: "00000000-0000-4000-8000-000000000003", name: "gamma", version: "2.0.0" }),
];

function listHandler(seen: URLSearchParams[]) {
  return http.get("*/api/v1/contracts", ({ request }) => {
    const params = new URL(request.url).searchParams;
    seen.push(params);
    const status = params.get("status");
    const rows = status ? contracts.filter((c) => c.status === status) : contracts;
    return HttpResponse.json({ contracts: rows, total: rows.length, skip: 0, limit: Number(params.get("limit")) });
  });
}

const facets = http.get("*/api/v1/dictionary/search", () =>
  HttpResponse.json({ query: "", total: 0, skip: 0, limit: 1, results: [], facets: { kind: {}, data_type: {}, is_pii: {}, team: { commerce: 3 }, tag: { core: 3 }, status: {} } }),
);

function names(): string[] {
  return within(screen.getByTestId("contracts-table"))
    .getAllByRole("link")
    .map((a) => a.textContent ?? "");
}

describe("contracts list", () => {
  it("reads filters and sorting from the URL and sends the filters to the API", async () => {
    const seen: URLSearchParams[] = [];
    server.use(listHandler(seen), facets);
    renderRoute(<ContractsPage />, { path: "/contracts", url: "/contracts?status=active&q=a&sort=version&order=desc" });
    await screen.findByTestId("contracts-table");
    expect(seen[0]?.get("status")).toBe("active");
    expect(seen[0]?.get("q")).toBe("a");
    // semantic order, newest first: 2.0.0, 1.10.0, 1.9.0
    expect(names()).toEqual(["gamma", "alpha", "beta"]);
    expect(screen.getByRole("columnheader", { name: /Version/ })).toHaveAttribute("aria-sort", "descending");
  });

  it("writes a sort click into the URL", async () => {
    const user = userEvent.setup();
    server.use(listHandler([]), facets);
    const { location } = renderRoute(<ContractsPage />, { path: "/contracts", url: "/contracts" });
    await screen.findByTestId("contracts-table");
    expect(names()).toEqual(["alpha", "beta", "gamma"]);
    await user.click(screen.getByRole("button", { name: /Version/ }));
    await waitFor(() => expect(location().search).toBe("?sort=version"));
    expect(names()).toEqual(["beta", "alpha", "gamma"]);
  });

  it("says what to do when nothing matches", async () => {
    server.use(
      http.get("*/api/v1/contracts", () => HttpResponse.json({ contracts: [], total: 0, skip: 0, limit: 500 })),
      facets,
    );
    renderRoute(<ContractsPage />, { path: "/contracts", url: "/contracts?tag=nothing" });
    expect(await screen.findByText("No contract matches these filters")).toBeInTheDocument();
    expect(screen.getAllByRole("button", { name: "Clear filters" }).length).toBeGreaterThan(0);
  });
});
