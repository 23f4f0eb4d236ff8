import { screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { renderRoute } from "@/test/render";
import { server } from "@/test/server";
import ContractPage from "./routes/contract";

function Broken(): never {
  throw new Error("render exploded");
}

describe("errors", () => {
  it("a failing request becomes a readable toast and an inline message, not a blank page", async () => {
    server.use(http.get("*/api/v1/contracts/:id", () => HttpResponse.json({ detail: "database unavailable" }, { status: 503 })));
    renderRoute(<ContractPage />, { path: "/contracts/:id", url: "/contracts/6f1c3f2e-8d7a-4a55-9a55-3e7f4c1f0a01" });
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not load the contract: database unavailable");
    expect(await screen.findByText("Could not load data")).toBeInTheDocument(); // toast title
    expect(screen.getAllByText("database unavailable").length).toBeGreaterThan(0);
  });

  it("a 404 says the contract does not exist", async () => {
    server.use(http.get("*/api/v1/contracts/:id", () => HttpResponse.json({ detail: "contract x not found" }, { status: 404 })));
    renderRoute(<ContractPage />, { path: "/contracts/:id", url: "/contracts/x" });
    expect(await screen.findByText("No such contract")).toBeInTheDocument();
  });

  it("a page that throws while rendering shows the route's error boundary", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    renderRoute(<Broken />, { path: "/", url: "/" });
    expect(await screen.findByText("This page could not be shown")).toBeInTheDocument();
    expect(screen.getByText("render exploded")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Go to the dashboard" })).toBeInTheDocument();
  });
});
