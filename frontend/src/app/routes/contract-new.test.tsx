import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { renderRoute } from "@/test/render";
import { server } from "@/test/server";
import type { DraftFromSqlRequest, DraftFromSqlResult } from "@/types/api";
import NewContractPage from "./contract-new";

const result: DraftFromSqlResult = {
  drafts: [
    {
      name: "orders",
      table: "orders",
      kind: "table",
      document: {
        name: "orders",
        version: "1.0.0",
        publisher: { team: "commerce", owner: "TODO-owner" },
        schema: [{ name: "id", data_type: "integer", nullable: false, is_primary_key: true }],
      },
      yaml: "# Drafted by `datapact init`\nname: orders\n",
      left_out: [],
    },
  ],
  problems: ["column 'orders.spot': type point has no contract data type; left out"],
  notes: [],
};

describe("new contract from a DDL file", () => {
  it("sends the file's SQL and the page's team, and opens the chosen draft in the editor", async () => {
    const user = userEvent.setup();
    const sent: DraftFromSqlRequest[] = [];
    server.use(
      http.post("*/api/v1/drafts/from-sql", async ({ request }) => {
        sent.push((await request.json()) as DraftFromSqlRequest);
        return HttpResponse.json(result);
      }),
      http.post("*/api/v1/contracts/validate", () => HttpResponse.json({ valid: true, errors: [], warnings: [] })),
    );
    renderRoute(<NewContractPage />, { path: "/contracts/new", url: "/contracts/new?team=commerce" });
    const file = new File(["CREATE TABLE orders (id int PRIMARY KEY, spot point);"], "schema.sql", { type: "application/sql" });
    await user.upload(screen.getByLabelText("DDL file"), file);
    await user.click(screen.getByRole("button", { name: /Draft contracts/ }));
    await screen.findByText(/type point has no contract data type/);
    expect(sent).toEqual([{ sql: "CREATE TABLE orders (id int PRIMARY KEY, spot point);", dialect: "postgres", team: "commerce" }]);
    await user.click(screen.getByRole("button", { name: "Edit this draft" }));
    expect(await screen.findByLabelText(/^Name/, { selector: "#doc-name" })).toHaveValue("orders");
  });
});
