// What people do: create a contract, make a bad and a breaking edit, search, run checks.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, BASE_URL, launch, openPage, screenshot } from "./harness.mjs";
import { adminToken } from "./token.mjs";

let browser;
const token = adminToken();
const name = `e2e_${Date.now().toString(36)}`;
let createdId;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test("create a contract through the form", async () => {
  const { page } = await openPage(browser.context, { token });
  try {
    await page.goto(`${BASE_URL}/contracts/new`);
    await page.getByLabel("Name").first().fill(name);
    await page.getByLabel("Description").first().fill("Created by the browser test");
    await page.getByLabel("Team").first().fill("e2e-team");
    await page.getByLabel("Owner").fill("E2E Owner");
    await page.getByRole("button", { name: "Field", exact: true }).click();
    const second = page.getByTestId("field-editor-1");
    await second.getByLabel("Name").fill("amount");
    await second.getByLabel("Description").fill("Order total");
    await second.getByRole("combobox", { name: "Type" }).click();
    await page.getByRole("option", { name: "decimal" }).click();
    await screenshot(page, "10-create-form");
    await page.getByTestId("save-contract").click();
    await page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { level: 1 }).filter({ hasText: name }).waitFor();
    createdId = page.url().split("/").pop();
    const saved = await api(`/api/v1/contracts/${createdId}`);
    assert.equal(saved.name, name);
    assert.deepEqual(saved.schema.map((f) => f.name), ["id", "amount"]);
    assert.equal(saved.schema[1].data_type, "decimal");
    await screenshot(page, "11-created-contract");
  } finally {
    await page.close();
  }
});

test("an invalid edit shows the server's message on the field", async () => {
  assert.ok(createdId, "needs the contract created above");
  const { page } = await openPage(browser.context, { token });
  try {
    await page.goto(`${BASE_URL}/contracts/${createdId}/edit`);
    const field = page.getByTestId("field-editor-1");
    await field.getByLabel("Foreign key").check();
    await field.getByLabel("References").fill("Not A Reference");
    const issue = page.getByTestId("issue-schema.1.foreign_key_reference");
    await issue.filter({ hasText: "contract_name.field_name" }).waitFor();
    assert.equal(await field.getByLabel("References").getAttribute("aria-invalid"), "true");
    await page.getByTestId("save-contract").click();
    await issue.filter({ hasText: "contract_name.field_name" }).waitFor();
    await screenshot(page, "12-invalid-edit");
    const stored = await api(`/api/v1/contracts/${createdId}`);
    assert.equal(stored.version, "1.0.0", "nothing was saved");
  } finally {
    await page.close();
  }
});

test("a breaking edit shows the required major bump before saving", async () => {
  const { page } = await openPage(browser.context, { token });
  try {
    await page.goto(`${BASE_URL}/contracts/${createdId}/edit`);
    await page.getByTestId("field-editor-1").getByRole("button", { name: "Remove field" }).click();
    const preview = page.getByTestId("change-preview");
    await preview.getByTestId("required-bump").filter({ hasText: "major" }).waitFor();
    await preview.getByTestId("change-list").getByText("field 'amount' removed").waitFor();
    await preview.getByTestId("bump-violation").waitFor();
    await screenshot(page, "13-breaking-edit");
    await preview.getByRole("button", { name: "Use version 2.0.0" }).click();
    await page.getByTestId("save-contract").click();
    await page.waitForURL(/tab=versions/);
    const stored = await api(`/api/v1/contracts/${createdId}`);
    assert.equal(stored.version, "2.0.0");
  } finally {
    await page.close();
  }
});

test("dictionary search finds a field by a misspelling", async () => {
  const { page } = await openPage(browser.context);
  try {
    await page.goto(`${BASE_URL}/dictionary`);
    await page.getByRole("searchbox", { name: "Search the dictionary" }).fill("custmer");
    await page.waitForURL(/q=custmer/);
    await page.getByText(/results? for “custmer”/).waitFor();
    const results = page.getByTestId("search-results");
    await results.getByRole("link", { name: /customer_id/ }).first().waitFor();
    assert.ok((await results.locator("mark").count()) > 0, "matches are highlighted");
    await screenshot(page, "14-dictionary-typo");
  } finally {
    await page.close();
  }
});

test("the ERD draws nodes and edges", async () => {
  const { page } = await openPage(browser.context);
  try {
    await page.goto(`${BASE_URL}/erd`);
    await page.getByTestId("erd-node").first().waitFor();
    await page.locator(".react-flow__edge").first().waitFor({ state: "attached" });
    const graph = await api("/api/v1/erd");
    const datasets = graph.nodes.filter((n) => n.type === "dataset").length;
    assert.equal(await page.getByTestId("erd-node").count(), datasets);
    assert.equal(await page.locator(".react-flow__edge").count(), graph.edges.length);
  } finally {
    await page.close();
  }
});

test("run check now updates the compliance tab", async () => {
  const list = await api("/api/v1/contracts?limit=500");
  const target = list.contracts.find((c) => c.access?.endpoint_url && c.status !== "deprecated");
  assert.ok(target, "a contract with an access endpoint");
  const before = (await api(`/api/v1/contracts/${target.id}/compliance?limit=1`)).total;
  const { page } = await openPage(browser.context, { token });
  try {
    await page.goto(`${BASE_URL}/contracts/${target.id}?tab=compliance`);
    await page.getByRole("button", { name: "Run check now" }).click();
    await page.getByText(`Checked ${target.name}`).waitFor({ timeout: 60_000 });
    const after = (await api(`/api/v1/contracts/${target.id}/compliance?limit=1`)).total;
    assert.ok(after > before, "the monitor recorded new results");
    await page.getByText(new RegExp(`of ${after}$`)).waitFor();
    await page.getByTestId("latest-checks").getByText(/checked (now|\d+ seconds? ago)/).first().waitFor();
    await screenshot(page, "15-run-check-now");
  } finally {
    await page.close();
  }
});
