import { screen, waitFor } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { setToken } from "@/lib/token";
import { renderRoute } from "@/test/render";
import { server } from "@/test/server";
import type { Preference, WatcherPage } from "@/types/api";
import SettingsPage from "./settings";

const EMAIL = "ana@example.com";
const PREFERENCE: Preference = { email: EMAIL, muted_types: [], min_severity: "info", digest: true, updated_at: null, updated_by: null, stored: false };
const NO_WATCHERS: WatcherPage = { watchers: [], total: 0, skip: 0, limit: 500 };

afterEach(() => {
  sessionStorage.clear();
  setToken(null);
  window.history.replaceState(null, "", "/");
});

describe("settings page", () => {
  it("asks for the owner's link or token instead of requesting someone else's settings", async () => {
    // Any request would be unhandled and fail the test.
    renderRoute(<SettingsPage />, { path: "/settings", url: `/settings?email=${encodeURIComponent(EMAIL)}` });
    const note = await screen.findByTestId("owner-only");
    expect(note).toHaveTextContent(`--email ${EMAIL}`);
  });

  it("sends the link of the e-mail it was opened from, and drops it from the address bar", async () => {
    const links: (string | null)[] = [];
    server.use(
      http.get("*/api/v1/preferences/:email", ({ request }) => {
        links.push(request.headers.get("X-DataPact-Link"));
        return HttpResponse.json(PREFERENCE);
      }),
      http.get("*/api/v1/watchers", ({ request }) => {
        links.push(request.headers.get("X-DataPact-Link"));
        return HttpResponse.json(NO_WATCHERS);
      }),
    );
    window.history.replaceState(null, "", `/settings?email=${encodeURIComponent(EMAIL)}#preferences=aaa.bbb.ccc`);
    renderRoute(<SettingsPage />, { path: "/settings", url: `/settings?email=${encodeURIComponent(EMAIL)}` });
    await screen.findByRole("button", { name: "Save preferences" });
    await waitFor(() => expect(links).toHaveLength(2));
    expect(links).toEqual(["aaa.bbb.ccc", "aaa.bbb.ccc"]);
    expect(window.location.hash).toBe("");
  });
});
