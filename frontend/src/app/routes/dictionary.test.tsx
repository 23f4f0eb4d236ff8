import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { renderRoute } from "@/test/render";
import { server } from "@/test/server";
import type { SearchResponse } from "@/types/api";
import DictionaryPage from "./dictionary";

function response(q: string): SearchResponse {
  return {
    query: q,
    total: 1,
    skip: 0,
    limit: 20,
    results: [
      {
        kind: "field",
        dataset: "orders",
        field: "customer_id",
        data_type: "uuid",
        description: "Who ordered <b>bold</b>",
        is_pii: false,
        is_primary_key: false,
        is_foreign_key: true,
        foreign_key_reference: "customers.customer_id",
        team: "commerce",
        tags: ["core"],
        status: "active",
        version: "2.0.0",
        exact: false,
        score: 0.8,
        highlights: { name: "<mark>customer</mark>_id", description: "Who ordered &lt;b&gt;bold&lt;/b&gt;" },
      },
    ],
    facets: { kind: { field: 1 }, data_type: { uuid: 1 }, is_pii: { false: 1 }, team: { commerce: 1 }, tag: { core: 1 }, status: { active: 1 } },
  };
}

describe("dictionary page", () => {
  it("searches from the URL, highlights matches safely and links to the contract", async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      http.get("*/api/v1/dictionary/search", ({ request }) => {
        const params = new URL(request.url).searchParams;
        seen.push(params);
        return HttpResponse.json(response(params.get("q") ?? ""));
      }),
    );
    renderRoute(<DictionaryPage />, { path: "/dictionary", url: "/dictionary?q=custmer" });
    const results = await screen.findByTestId("search-results");
    expect(seen[0]?.get("q")).toBe("custmer");
    expect(within(results).getByText("customer").tagName).toBe("MARK");
    expect(results.querySelector("b")).toBeNull();
    expect(results).toHaveTextContent("Who ordered <b>bold</b>");
    expect(within(results).getByRole("link")).toHaveAttribute("href", "/contracts/name/orders?tab=schema#field-customer_id");
  });

  it("puts a facet choice in the URL and in the query", async () => {
    const user = userEvent.setup();
    const seen: URLSearchParams[] = [];
    server.use(
      http.get("*/api/v1/dictionary/search", ({ request }) => {
        seen.push(new URL(request.url).searchParams);
        return HttpResponse.json(response(""));
      }),
    );
    const { location } = renderRoute(<DictionaryPage />, { path: "/dictionary", url: "/dictionary" });
    await screen.findByTestId("search-results");
    await user.click(within(screen.getByRole("group", { name: "Team" })).getByRole("button", { name: /commerce/ }));
    await waitFor(() => expect(location().search).toBe("?team=commerce"));
    await waitFor(() => expect(seen.at(-1)?.get("team")).toBe("commerce"));
  });
});
