import { afterEach, describe, expect, it } from "vitest";
import { LINK_HEADER, linkFor, linkHeaders, takeLinkFromUrl } from "./email-links";

afterEach(() => {
  sessionStorage.clear();
  window.history.replaceState(null, "", "/");
});

describe("links from e-mails", () => {
  it("moves the link from the fragment into this tab and out of the address bar", () => {
    window.history.replaceState(null, "", "/settings?email=Ana%40example.com#preferences=aaa.bbb.ccc");
    expect(takeLinkFromUrl()).toBe("preferences");
    expect(window.location.hash).toBe("");
    expect(window.location.search).toBe("?email=Ana%40example.com");
    expect(linkHeaders("preferences", "ana@example.com")).toEqual({ [LINK_HEADER]: "aaa.bbb.ccc" });
    expect(linkFor("watchers", "ana@example.com")).toBeNull();
  });

  it("ignores fragments that are no link", () => {
    window.history.replaceState(null, "", "/settings?email=a%40example.com#preferences=<script>");
    expect(takeLinkFromUrl()).toBeNull();
    expect(linkHeaders("preferences", "a@example.com")).toBeUndefined();
  });
});
