// Every page renders real data from the running services, without console errors.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, BASE_URL, launch, openPage, screenshot, SCREENSHOTS } from "./harness.mjs";
import { adminToken } from "./token.mjs";

let browser;
let contract;

before(async () => {
  browser = await launch();
  const list = await api("/api/v1/contracts?limit=500");
  assert.ok(list.total > 0, "the platform has example contracts (seed it first)");
  contract = list.contracts.find((c) => (c.subscribers ?? []).length > 0 && c.schema.some((f) => f.is_foreign_key)) ?? list.contracts[0];
});
after(() => browser?.close());

async function visit(path, name, ready, { token } = {}) {
  const { page, problems } = await openPage(browser.context, { token });
  try {
    await page.goto(`${BASE_URL}${path}`);
    await ready(page);
    await page.waitForLoadState("networkidle");
    await screenshot(page, name);
    assert.deepEqual(problems, [], `console errors on ${path}`);
  } finally {
    await page.close();
  }
}

test("dashboard shows counts, compliance and notifications", async () => {
  await visit("/", "01-dashboard", async (page) => {
    const count = page.getByTestId("stat-contracts");
    await count.filter({ hasText: /^\d+$/ }).waitFor();
    assert.ok(Number(await count.textContent()) > 0);
    await page.getByText("Compliance now").waitFor();
    await page.getByText("Latest notifications").waitFor();
  });
});

test("contracts list shows the registry and keeps filters in the URL", async () => {
  await visit("/contracts", "02-contracts", async (page) => {
    await page.getByTestId("contracts-table").getByRole("link", { name: contract.name, exact: true }).waitFor();
    await page.getByRole("searchbox", { name: "Search contracts" }).fill(contract.name);
    await page.waitForURL(/q=/);
    await page.getByTestId("contracts-table").getByRole("link", { name: contract.name, exact: true }).waitFor();
  });
});

test("contracts list sorts on the server, keeping the order in the URL", async () => {
  const expected = (await api("/api/v1/contracts?sort=version&order=desc&limit=20")).contracts.map((c) => c.name);
  await visit("/contracts", "02-contracts-by-version", async (page) => {
    const version = page.getByRole("button", { name: "Version" });
    await version.click();
    await page.waitForURL(/sort=version/);
    await version.click();
    await page.waitForURL(/sort=version&order=desc/);
    await page.locator('th[aria-sort="descending"]', { hasText: "Version" }).waitFor();
    // the rows become the API's page for that order (fails after the default timeout)
    await page.waitForFunction(
      (names) => {
        const links = document.querySelectorAll('[data-testid="contracts-table"] tbody tr td:first-child a');
        return [...links].map((a) => a.textContent).join("\n") === names.join("\n");
      },
      expected,
    );
  });
});

const TABS = ["overview", "schema", "quality", "access", "subscribers", "versions", "proposals", "compliance", "yaml"];
for (const [i, tab] of TABS.entries()) {
  test(`contract detail: ${tab} tab`, async () => {
    await visit(`/contracts/${contract.id}?tab=${tab}`, `03-contract-${i}-${tab}`, async (page) => {
      await page.getByRole("heading", { level: 1 }).filter({ hasText: contract.name }).waitFor();
      await page.getByRole("tab", { name: new RegExp(tab === "yaml" ? "YAML" : tab, "i"), selected: true }).waitFor();
      if (tab === "schema") await page.getByTestId("schema-table").getByText(contract.schema[0].name, { exact: true }).waitFor();
      if (tab === "subscribers") await page.getByTestId("subscribers-table").getByText(contract.subscribers[0].team, { exact: true }).waitFor();
      if (tab === "versions") await page.getByTestId("versions-table").getByText(contract.version, { exact: true }).first().waitFor();
      if (tab === "yaml") await page.getByTestId("contract-yaml").filter({ hasText: `name: ${contract.name}` }).waitFor();
      if (tab === "compliance") await page.getByRole("button", { name: "Run check now" }).waitFor();
      if (tab === "proposals") {
        await page.getByTestId("contract-proposals").waitFor();
        await page.getByText("Deprecated fields", { exact: true }).waitFor();
      }
    });
  });
}

test("versions tab compares the last two versions side by side with severities", async () => {
  // The seed gives `orders` a history: 1.0.0 → 1.1.0 (adds coupon_code) → 2.0.0 (drops sales_channel).
  const orders = await api("/api/v1/contracts/name/orders");
  assert.equal(orders.version, "2.0.0", "the seeded orders contract is at 2.0.0");
  await visit(`/contracts/${orders.id}?tab=versions`, "03-contract-5-versions-diff", async (page) => {
    const changes = page.getByTestId("change-list");
    await changes.locator('[data-status="breaking"]').first().waitFor();
    await changes.getByText(/sales_channel/).first().waitFor();
    await page.getByText(/needs at least a/).locator('[data-status="major"]').waitFor();
    const diff = page.getByTestId("side-by-side-diff");
    await diff.getByText("Version 1.1.0").waitFor();
    await diff.getByText("Version 2.0.0").waitFor();
    const removed = diff.locator('tr[data-kind="removed"], tr[data-kind="changed"]').filter({ hasText: "sales_channel" });
    assert.ok((await removed.count()) > 0, "the dropped field is marked on the left side");
  });
});

test("data dictionary searches with facets", async () => {
  await visit("/dictionary?q=customer", "04-dictionary", async (page) => {
    await page.getByTestId("search-results").locator("mark").first().waitFor();
    await page.getByRole("group", { name: "Team" }).waitFor();
  });
});

test("ERD page draws the graph", async () => {
  await visit("/erd", "05-erd", async (page) => {
    await page.getByTestId("erd-node").first().waitFor();
  });
});

test("ERD Mermaid view renders the diagram", async () => {
  await visit("/erd?view=mermaid", "06-erd-mermaid", async (page) => {
    await page.getByTestId("mermaid-svg").locator("svg").waitFor();
    await page.getByRole("button", { name: /Download \.mmd/ }).waitFor();
  });
});

test("compliance overview lists every contract", async () => {
  await visit("/compliance", "07-compliance", async (page) => {
    await page.getByTestId("compliance-matrix").getByRole("link", { name: contract.name, exact: true }).waitFor();
  });
});

const PROPOSAL_VIEWS = [
  ["open", "Open", "No open proposal"],
  ["mine", "Mine to answer", "No team in your API token"],
  ["history", "History", "No closed proposal yet"],
];
for (const [view, label, empty] of PROPOSAL_VIEWS) {
  test(`proposals page: ${view}`, async () => {
    await visit(`/proposals?tab=${view}`, `08b-proposals-${view}`, async (page) => {
      await page.getByRole("tab", { name: label, selected: true }).waitFor();
      // the seeded organisation may or may not have proposals: either the cards or the empty state
      await page.getByTestId(`proposals-${view}`).or(page.getByText(empty, { exact: true })).waitFor();
    });
  });
}

test("notifications history shows messages", async () => {
  await visit("/notifications", "08-notifications", async (page) => {
    await page.getByTestId("notifications-table").locator("tbody tr").first().waitFor();
  });
});

test("a notification opens with its rendered message", async () => {
  const { page, problems } = await openPage(browser.context);
  try {
    await page.goto(`${BASE_URL}/notifications`);
    await page.getByTestId("notifications-table").locator("tbody tr").first().getByRole("button").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByTitle("Rendered message").or(dialog.getByTestId("notification-text")).first().waitFor();
    assert.match(page.url(), /open=/, "the open message is in the URL");
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}/08-notification-message.png` });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("settings page", async () => {
  // An address's watchers and preferences are its owner's or an admin's to see.
  await visit(
    "/settings?email=analytics%40acme.example",
    "09-settings",
    async (page) => {
      await page.getByText("API token").first().waitFor();
      await page.getByRole("button", { name: "Save preferences" }).waitFor();
    },
    { token: adminToken() },
  );
  await visit(
    "/settings?email=analytics%40acme.example",
    "09-settings-no-token",
    async (page) => {
      await page.getByTestId("owner-only").waitFor();
    },
    { token: "" }, // the browser context keeps localStorage: remove the admin's token
  );
});
