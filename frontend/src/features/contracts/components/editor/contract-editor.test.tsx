import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { changeReport, contract } from "@/test/fixtures";
import { renderRoute } from "@/test/render";
import { server } from "@/test/server";
import type { ContractDocument } from "@/types/api";
import { emptyDocument } from "../../lib/document-edit";
import { toDocument } from "../../lib/yaml";
import { ContractEditor } from "./contract-editor";
import { createContract } from "../../api/create-contract";

function validateOk() {
  return http.post("*/api/v1/contracts/validate", () => HttpResponse.json({ valid: true, errors: [], warnings: [] }));
}

describe("ContractEditor", () => {
  it("shows the server's validation error next to the field it concerns", async () => {
    const user = userEvent.setup();
    server.use(
      validateOk(),
      http.post("*/api/v1/contracts", () =>
        HttpResponse.json(
          {
            detail: "invalid contract",
            errors: [
              { loc: "schema.0.name", message: "field name 'Bad Name' must start with a letter or _", type: "string_pattern_mismatch" },
              { loc: "schema.0.foreign_key_reference", message: "foreign_key_reference 'X' must be 'contract_name.field_name'", type: "value_error" },
              { loc: "publisher.contact_email", message: "value is not a valid email address", type: "value_error" },
            ],
          },
          { status: 422 },
        ),
      ),
    );
    renderRoute(<ContractEditor initial={emptyDocument()} saving={false} onSave={(doc) => createContract(doc)} />);
    await user.click(screen.getByTestId("save-contract"));
    const issue = await screen.findByTestId("issue-schema.0.name");
    expect(issue).toHaveTextContent("must start with a letter");
    expect(screen.getByLabelText(/^Name/, { selector: "#doc-schema\\.0\\.name" })).toHaveAttribute("aria-invalid", "true");
    // the references input is hidden (not a foreign key): its error shows on the field as a whole
    expect(screen.getByTestId("issue-schema.0")).toHaveTextContent("must be 'contract_name.field_name'");
    expect(screen.getByTestId("issue-publisher.contact_email")).toHaveTextContent("not a valid email");
    expect(screen.getByLabelText("Contact e-mail")).toHaveAttribute("aria-invalid", "true");
    // the summary lists them too
    expect(screen.getByTestId("issue-summary-error")).toHaveTextContent("3 problems to fix");
  });

  it("sends the document the form built, without empty strings", async () => {
    const user = userEvent.setup();
    const onSave = vi.fn<(doc: ContractDocument) => Promise<void>>(() => Promise.resolve());
    server.use(validateOk());
    renderRoute(<ContractEditor initial={emptyDocument()} saving={false} onSave={onSave} />);
    await user.type(screen.getByLabelText(/^Name/, { selector: "#doc-name" }), "shipments");
    await user.type(screen.getByLabelText(/^Team/), "logistics");
    await user.type(screen.getByLabelText(/^Owner/), "Ops");
    await user.type(screen.getByLabelText("Tags"), "core, events");
    await user.click(screen.getByTestId("save-contract"));
    await waitFor(() => expect(onSave).toHaveBeenCalled());
    const sent = onSave.mock.calls[0][0];
    expect(sent).toMatchObject({ name: "shipments", version: "1.0.0", publisher: { team: "logistics", owner: "Ops" }, tags: ["core", "events"] });
    expect(sent).not.toHaveProperty("description");
    expect(sent.schema[0]).toEqual({ name: "id", data_type: "uuid", nullable: false, is_primary_key: true });
  });

  it("keeps form edits when switching to YAML and back", async () => {
    const user = userEvent.setup();
    renderRoute(<ContractEditor initial={emptyDocument()} saving={false} onSave={() => Promise.resolve()} />);
    await user.type(screen.getByLabelText(/^Name/, { selector: "#doc-name" }), "kept_name");
    await user.click(screen.getByRole("tab", { name: /YAML/ }));
    const editor = await screen.findByTestId("yaml-editor", {}, { timeout: 5000 });
    await waitFor(() => expect(editor).toHaveTextContent("name: kept_name"));
    await user.click(screen.getByRole("tab", { name: /Form/ }));
    expect(screen.getByLabelText(/^Name/, { selector: "#doc-name" })).toHaveValue("kept_name");
  });

  it("shows the change classification and required bump before saving, and applies it", async () => {
    const user = userEvent.setup();
    const saved = contract();
    let proposed: ContractDocument | null = null;
    server.use(
      validateOk(),
      http.post("*/api/v1/contracts/:id/diff", async ({ request }) => {
        proposed = (await request.json()) as ContractDocument;
        const removed = !proposed.schema.some((f) => f.name === "status");
        return HttpResponse.json(removed ? changeReport({ new_version: proposed.version, bump_ok: proposed.version.startsWith("2.") }) : changeReport({ changes: [], required_bump: "none", bump_ok: true }));
      }),
    );
    renderRoute(<ContractEditor initial={toDocument(saved)} contractId={saved.id} savedVersion={saved.version} saving={false} onSave={() => Promise.resolve()} />);
    const preview = screen.getByTestId("change-preview");
    await user.click(within(screen.getByTestId("field-editor-2")).getByRole("button", { name: /Remove field/ }));
    await waitFor(() => expect(within(preview).getByTestId("required-bump")).toHaveTextContent("major"), { timeout: 3000 });
    expect(within(preview).getByText("field 'status' removed")).toBeInTheDocument();
    expect(within(preview).getByText(/Affects: analytics/)).toBeInTheDocument();
    await user.click(within(preview).getByRole("button", { name: "Use version 2.0.0" }));
    expect(screen.getByLabelText(/^Version/)).toHaveValue("2.0.0");
    await waitFor(() => expect(proposed?.version).toBe("2.0.0"), { timeout: 3000 });
    await waitFor(() => expect(within(preview).getByText("The version fits the changes.")).toBeInTheDocument());
  });
});
