// A breaking change negotiated from the dashboard: a contract with a change policy, a
// proposal made through the API, then each affected team answers in the browser with a token
// of its own; then the publisher proposes, withdraws and tries to publish from the contract
// page (docs/workflow.md).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BASE_URL, launch, openPage, screenshot } from "./harness.mjs";
import { adminToken, teamToken } from "./token.mjs";

const suffix = Date.now().toString(36);
const name = `e2e_wf_${suffix}`;
const [COMMERCE, FINANCE, BI] = ["commerce", "finance", "bi"].map((t) => `e2e-${t}-${suffix}`);
const tokens = { [COMMERCE]: teamToken([COMMERCE], "carla"), [FINANCE]: teamToken([FINANCE], "fred"), [BI]: teamToken([BI], "bea") };

let browser;
let contractId;
let proposalId;

function document(version, { amount = true, status = true } = {}) {
  return {
    name,
    version,
    description: "Negotiated by the browser test",
    publisher: { team: COMMERCE, owner: "carla" },
    change_policy: { notice_days: 14, require_approval: true },
    schema: [
      { name: "id", data_type: "uuid", nullable: false, is_primary_key: true },
      ...(status ? [{ name: "status", data_type: "string" }] : []),
      ...(amount ? [{ name: "amount", data_type: "decimal" }] : []),
    ],
    subscribers: [
      { team: FINANCE, use_case: "Revenue", fields_used: amount ? ["id", "amount"] : ["id"] },
      { team: BI, use_case: "Everything", fields_used: [] },
    ],
  };
}

/** The API with a team's token; returns [status, body]. */
async function call(method, pathname, team, json) {
  const response = await fetch(`${BASE_URL}${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${tokens[team]}`, ...(json ? { "Content-Type": "application/json" } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  return [response.status, await response.json()];
}

const answerOf = (proposal, team) => proposal.answers.find((a) => a.team === team);

before(async () => {
  browser = await launch();
  const [created, contract] = await call("POST", "/api/v1/contracts", COMMERCE, document("1.0.0"));
  assert.equal(created, 201, JSON.stringify(contract));
  contractId = contract.id;
  const [proposed, proposal] = await call("POST", `/api/v1/contracts/${contractId}/proposals`, COMMERCE, document("2.0.0", { amount: false }));
  assert.equal(proposed, 201, JSON.stringify(proposal));
  assert.deepEqual([...proposal.affected_teams].sort(), [BI, FINANCE].sort());
  proposalId = proposal.id;
});
after(() => browser?.close());

test("an affected team objects to the proposal from the contract page, with a comment", async () => {
  const { page, problems } = await openPage(browser.context, { token: tokens[BI] });
  try {
    await page.goto(`${BASE_URL}/contracts/${contractId}?tab=proposals`);
    const card = page.getByTestId("proposal-card");
    // the diff of the proposal: amount is gone on the right
    const diff = card.getByTestId("side-by-side-diff");
    await diff.getByText("Proposed 2.0.0").waitFor();
    await diff.locator('tr[data-kind="removed"]', { hasText: "name: amount" }).first().waitFor();
    await card.getByText("field 'amount' removed").waitFor();
    const form = card.getByTestId("answer-form");
    assert.equal(await form.getByRole("button", { name: "Object" }).isDisabled(), true, "an objection says why");
    await form.getByLabel("Comment").fill("The revenue cube still sums amount.");
    await form.getByRole("button", { name: "Object" }).click();
    await card.locator(`[data-team="${BI}"][data-answer="objected"]`).waitFor();
    await screenshot(page, "40-proposal-objected");
    const [, proposal] = await call("GET", `/api/v1/proposals/${proposalId}`, BI);
    assert.equal(answerOf(proposal, BI).answer, "objected");
    assert.equal(answerOf(proposal, BI).comment, "The revenue cube still sums amount.");
    assert.equal(answerOf(proposal, BI).answered_by, "bea");
    const [status, refused] = await call("POST", `/api/v1/proposals/${proposalId}/publish`, COMMERCE);
    assert.equal(status, 409, JSON.stringify(refused));
    assert.deepEqual(refused.objected, [BI]);
    assert.deepEqual(refused.pending, [FINANCE]);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("the other team approves from its proposals page, the objection is withdrawn", async () => {
  const finance = await openPage(browser.context, { token: tokens[FINANCE] });
  try {
    const { page } = finance;
    await page.goto(`${BASE_URL}/proposals?tab=mine`);
    const card = page.locator(`[data-testid="proposal-card"][data-proposal="${proposalId}"]`);
    await card.getByTestId("verdict-summary").waitFor();
    // no answer form for a team the token does not hold
    assert.equal(await card.getByTestId("answer-form").getByText(BI, { exact: true }).count(), 0);
    await card.getByTestId("answer-form").getByRole("button", { name: "Approve" }).click();
    await card.locator(`[data-team="${FINANCE}"][data-answer="approved"]`).waitFor();
    await screenshot(page, "41-proposal-approved");
    assert.deepEqual(finance.problems, []);
  } finally {
    await finance.page.close();
  }
  const bi = await openPage(browser.context, { token: tokens[BI] });
  try {
    const { page } = bi;
    await page.goto(`${BASE_URL}/contracts/${contractId}?tab=proposals`);
    const card = page.getByTestId("proposal-card");
    await card.locator(`[data-team="${BI}"][data-answer="objected"]`).waitFor();
    await card.getByTestId("answer-form").getByLabel("Comment").fill("The cube moved to net_amount.");
    await card.getByTestId("answer-form").getByRole("button", { name: "Approve" }).click();
    await card.locator(`[data-team="${BI}"][data-answer="approved"]`).waitFor();
    await card.getByText("publishable", { exact: true }).waitFor();
    assert.deepEqual(bi.problems, []);
  } finally {
    await bi.page.close();
  }
  const [, proposal] = await call("GET", `/api/v1/proposals/${proposalId}`, FINANCE);
  assert.equal(proposal.verdict.publishable, true);
  assert.deepEqual(proposal.history.map((h) => [h.team, h.answer]), [[BI, "objected"], [FINANCE, "approved"], [BI, "approved"]]);
  const [status, published] = await call("POST", `/api/v1/proposals/${proposalId}/publish`, COMMERCE);
  assert.equal(status, 200, JSON.stringify(published));
  assert.equal(published.version, "2.0.0");
});

/** The page's problems but the refusals the test provokes (Chromium logs each failed request). */
const unexpected = (problems, ...statuses) =>
  problems.filter((p) => !statuses.some((status) => p.includes(`status of ${status}`)));

test("the publisher proposes from the contract page, then withdraws: it moves to the earlier proposals", async () => {
  const { page, problems } = await openPage(browser.context, { token: tokens[COMMERCE] });
  try {
    await page.goto(`${BASE_URL}/contracts/${contractId}?tab=proposals`);
    await page.getByRole("button", { name: "Propose a change" }).click();
    const dialog = page.getByRole("dialog");
    const text = dialog.getByLabel("Proposed document");
    const current = await text.inputValue();
    assert.match(current, /^version: 2\.0\.0$/m, "starts from the current version's YAML");
    // unchanged: the service refuses, and the dialog says it in the service's words
    await dialog.getByRole("button", { name: "Propose", exact: true }).click();
    const error = dialog.getByTestId("propose-error");
    await error.waitFor();
    const refused = await fetch(`${BASE_URL}/api/v1/contracts/${contractId}/proposals`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tokens[COMMERCE]}`, "Content-Type": "application/yaml" },
      body: current,
    });
    assert.equal(refused.status, 422);
    assert.equal((await error.innerText()).trim(), (await refused.json()).detail);
    // status dropped: a breaking change for BI (it reads every field), not for FINANCE (id)
    await text.fill(JSON.stringify(document("3.0.0", { amount: false, status: false }), null, 2));
    await dialog.getByRole("button", { name: "Propose", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    const card = page.getByTestId("proposal-card");
    await card.getByText(`${name} 2.0.0 → 3.0.0`).waitFor();
    await card.getByText("field 'status' removed").waitFor();
    await card.locator(`[data-team="${BI}"][data-answer="pending"]`).waitFor();
    await screenshot(page, "42-proposed-from-dashboard");
    const [, open] = await call("GET", `/api/v1/contracts/${contractId}/proposals?status=open`, COMMERCE);
    assert.equal(open.proposals.length, 1);
    const [made] = open.proposals;
    assert.equal(made.proposed_by, "carla");
    assert.equal(made.proposed_version, "3.0.0");
    assert.deepEqual(made.affected_teams, [BI]);

    await card.getByTestId("publisher-actions").getByRole("button", { name: "Withdraw" }).click();
    const history = page.getByTestId("proposal-history");
    await history.locator("tr", { hasText: "2.0.0 → 3.0.0" }).filter({ hasText: "withdrawn" }).waitFor();
    assert.equal(await page.getByTestId("proposal-card").count(), 0);
    await screenshot(page, "43-withdrawn-from-dashboard");
    const [, withdrawn] = await call("GET", `/api/v1/proposals/${made.id}`, COMMERCE);
    assert.equal(withdrawn.status, "withdrawn");
    assert.equal(withdrawn.closed_by, "carla");
    assert.deepEqual(unexpected(problems, 422), []);
  } finally {
    await page.close();
  }
});

test("a publish the policy refuses names the pending team on the page", async () => {
  const { page, problems } = await openPage(browser.context, { token: tokens[COMMERCE] });
  try {
    await page.goto(`${BASE_URL}/contracts/${contractId}?tab=proposals`);
    await page.getByRole("button", { name: "Propose a change" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Proposed document").fill(JSON.stringify(document("3.0.0", { amount: false, status: false }), null, 2));
    await dialog.getByRole("button", { name: "Propose", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    const card = page.locator('[data-testid="proposal-card"][data-status="open"]');
    await card.getByText(`${name} 2.0.0 → 3.0.0`).waitFor();
    await card.getByTestId("publisher-actions").getByRole("button", { name: "Publish 3.0.0" }).click();
    const refusal = card.getByTestId("publish-refused");
    await refusal.waitFor();
    await refusal.getByText("does not hold yet", { exact: false }).waitFor();
    assert.equal((await refusal.getByTestId("refused-pending").innerText()).replace(/\s+/g, ""), `Pending:${BI}`);
    assert.equal(await refusal.getByTestId("refused-objected").count(), 0);
    await screenshot(page, "44-publish-refused");
    const [, stored] = await call("GET", `/api/v1/contracts/${contractId}`, COMMERCE);
    assert.equal(stored.version, "2.0.0", "nothing was published");
    assert.deepEqual(unexpected(problems, 409), []);
  } finally {
    await page.close();
  }
});

test("an admin publishes over the policy after confirming, with a reason the proposal records", async () => {
  const { page, problems } = await openPage(browser.context, { token: adminToken("ada") });
  try {
    await page.goto(`${BASE_URL}/contracts/${contractId}?tab=proposals`);
    const card = page.locator('[data-testid="proposal-card"][data-status="open"]');
    await card.getByText(`${name} 2.0.0 → 3.0.0`).waitFor();
    await card.getByRole("button", { name: "Publish over the policy…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("recorded on the proposal", { exact: false }).waitFor();
    const confirm = dialog.getByRole("button", { name: "Publish over the policy", exact: true });
    assert.equal(await confirm.isDisabled(), true, "an override says why");
    await dialog.getByLabel(/Reason/).fill("Regulator deadline: status leaves today.");
    await screenshot(page, "45-override-confirm");
    await confirm.click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("v3.0.0", { exact: true }).waitFor();
    await page.getByTestId("proposal-history").locator("tr", { hasText: "2.0.0 → 3.0.0" }).filter({ hasText: "published" }).waitFor();
    const [, proposals] = await call("GET", `/api/v1/contracts/${contractId}/proposals?status=published`, COMMERCE);
    const published = proposals.proposals.find((p) => p.proposed_version === "3.0.0");
    assert.deepEqual(published.override, { by: "ada", reason: "Regulator deadline: status leaves today." });
    const [, stored] = await call("GET", `/api/v1/contracts/${contractId}`, COMMERCE);
    assert.equal(stored.version, "3.0.0");
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
