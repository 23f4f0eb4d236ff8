// Browser harness for the end-to-end tests: Debian's Chromium driven by playwright-core (no
// downloaded browser), a fresh profile per run, console errors collected per page.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export const BASE_URL = (process.env.E2E_BASE_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");
export const SCREENSHOTS = path.resolve(import.meta.dirname, "..", "test-results", "screenshots");
const EXECUTABLE = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launch() {
  const profile = await mkdtemp(path.join(tmpdir(), "datapact-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A new page that records console errors and failed requests (4xx/5xx of /api). */
export async function openPage(context, { token } = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  if (token !== undefined) {
    await page.addInitScript((value) => {
      if (value) localStorage.setItem("datapact.token", value);
      else localStorage.removeItem("datapact.token");
    }, token);
  }
  page.setDefaultTimeout(20_000);
  return { page, problems };
}

export async function screenshot(page, name) {
  await page.evaluate(() => globalThis.scrollTo(0, 0)); // runs in the page
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** JSON from the API through the dashboard's own proxy. */
export async function api(pathname, init = {}) {
  const response = await fetch(`${BASE_URL}${pathname}`, init);
  if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}
