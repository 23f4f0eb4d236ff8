import { screen, waitFor } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { renderRoute } from "@/test/render";
import { server } from "@/test/server";
import type { ErdGraph, SearchResponse } from "@/types/api";
import ErdPage from "./erd";

const FACETS: SearchResponse = { query: "", total: 0, skip: 0, limit: 1, results: [], facets: { kind: {}, data_type: {}, is_pii: {}, team: { commerce: 3 }, tag: {}, status: {} } };

function graph(names: string[], total: number): ErdGraph {
  return {
    nodes: names.map((name) => ({ id: `dataset:${name}`, type: "dataset", position: { x: 0, y: 0 }, data: { name, missing: false, team: "commerce", status: "active", version: "1.0.0", description: null, fields: [] } })),
    edges: [],
    total_datasets: total,
    truncated: names.length < total,
    message: names.length < total ? `showing ${names.length} of ${total} datasets` : null,
  };
}

describe("ERD page", () => {
  it("says when the server drew only part of the graph, and how to see the rest", async () => {
    server.use(
      http.get("*/api/v1/dictionary/search", () => HttpResponse.json(FACETS)),
      http.get("*/api/v1/erd", () => HttpResponse.json(graph(["a", "b"], 1500))),
    );
    renderRoute(<ErdPage />, { path: "/erd", url: "/erd" });
    const note = await screen.findByTestId("erd-truncated");
    expect(note).toHaveTextContent("Showing 2 of 1500 datasets");
    expect(note).toHaveTextContent("Pick a team");
  });

  it("says nothing when the whole graph is drawn", async () => {
    let served = false;
    server.use(
      http.get("*/api/v1/dictionary/search", () => HttpResponse.json(FACETS)),
      http.get("*/api/v1/erd", () => {
        served = true;
        return HttpResponse.json(graph(["a", "b"], 2));
      }),
    );
    renderRoute(<ErdPage />, { path: "/erd", url: "/erd" });
    await waitFor(() => expect(served).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(screen.queryByTestId("erd-truncated")).toBeNull();
  });
});
