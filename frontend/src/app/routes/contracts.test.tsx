import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { contract } from "@/test/fixtures";
import { renderRoute } from "@/test/render";
import { server } from "@/test/server";
import ContractsPage from "./contracts";

// the server filters, sorts and pages: the handler answers in its own order, and the page
// must show the rows in that order
const contracts = [
  contract({ id: "00000000-0000-4000-8000-000000000003", name: "gamma", version: "2.0.0" }),
  contract({ id: "00000000-0000-4000-8000-000000000001", name: "alpha", version: "1.10.0" }),
  contract({ id: "00000000-0000-4000-8000-000000000002", name: "beta", version: "1.9.0" }),
];

function listHandler(seen: URLSearchParams[], total = contracts.length) {
  return http.get("*/api/v1/contracts", ({ request }) => {
    const params = new URL(request.url).searchParams;
    seen.push(params);
    return HttpResponse.json({ contracts, total, skip: Number(params.get("skip")), limit: Number(params.get("limit")) });
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
  it("sends the filters, the sort and the page from the URL to the API, and shows its order", async () => {
    const seen: URLSearchParams[] = [];
    server.use(listHandler(seen, 45), facets);
    renderRoute(<ContractsPage />, { path: "/contracts", url: "/contracts?status=active&q=a&sort=version&order=desc&page=2" });
    await screen.findByTestId("contracts-table");
    expect(seen).toHaveLength(1); // one page per request: nothing fetched to sort in the browser
    expect(Object.fromEntries(seen[0])).toEqual({ status: "active", q: "a", sort: "version", order: "desc", skip: "20", limit: "20" });
    expect(names()).toEqual(["gamma", "alpha", "beta"]);
    expect(screen.getByRole("columnheader", { name: /Version/ })).toHaveAttribute("aria-sort", "descending");
  });

  it("writes a sort click into the URL and asks the server for that order", async () => {
    const user = userEvent.setup();
    const seen: URLSearchParams[] = [];
    server.use(listHandler(seen), facets);
    const { location } = renderRoute(<ContractsPage />, { path: "/contracts", url: "/contracts?page=2" });
    await screen.findByTestId("contracts-table");
    expect(seen[0]?.get("sort")).toBe("name");
    expect(seen[0]?.get("order")).toBe("asc");
    await user.click(screen.getByRole("button", { name: /Version/ }));
    await waitFor(() => expect(location().search).toBe("?sort=version")); // back to page 1
    await waitFor(() => expect(seen.at(-1)?.get("sort")).toBe("version"));
    expect(seen.at(-1)?.get("skip")).toBe("0");
    await user.click(screen.getByRole("button", { name: /Version/ }));
    await waitFor(() => expect(location().search).toBe("?sort=version&order=desc"));
    await waitFor(() => expect(seen.at(-1)?.get("order")).toBe("desc"));
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
