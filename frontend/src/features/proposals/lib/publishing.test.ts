import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api-error";
import { isAdmin, mayPublish, publishRefusal } from "./publishing";

describe("mayPublish", () => {
  it("is the publisher team with contracts:write, or an admin", () => {
    expect(mayPublish({ teams: ["commerce"], scopes: ["contracts:write"] }, "commerce")).toBe(true);
    expect(mayPublish({ teams: ["finance"], scopes: ["contracts:write"] }, "commerce")).toBe(false);
    expect(mayPublish({ teams: ["commerce"], scopes: [] }, "commerce")).toBe(false);
    expect(mayPublish({ teams: [], scopes: ["admin"] }, "commerce")).toBe(true);
    expect(mayPublish(null, "commerce")).toBe(false);
    expect(mayPublish({}, "commerce")).toBe(false);
  });

  it("isAdmin reads the admin scope", () => {
    expect(isAdmin({ scopes: ["admin"] })).toBe(true);
    expect(isAdmin({ scopes: ["contracts:write"] })).toBe(false);
    expect(isAdmin(null)).toBe(false);
  });
});

describe("publishRefusal", () => {
  it("reads who is pending and who objects from the 409 of a policy that does not hold", () => {
    const body = {
      detail: "the change policy of 'orders' does not hold yet: approval required (1 of 3 affected teams approved; `bi` pending; `finance` objected)",
      proposal_id: "p1",
      publishable: false,
      reason: "approval required",
      summary: "1 of 3 affected teams approved; `bi` pending; `finance` objected",
      approved: ["ops"],
      objected: ["finance"],
      pending: ["bi"],
      notice_ends_at: "2026-12-15T10:00:00+00:00",
    };
    const refusal = publishRefusal(new ApiError(409, body.detail, [], body));
    expect(refusal).toEqual(body);
  });

  it("keeps the detail alone when the body names no team, and ignores what is not a list of names", () => {
    const refusal = publishRefusal(new ApiError(409, "proposal p1 is withdrawn", [], { detail: "proposal p1 is withdrawn", status: "withdrawn", pending: "bi" }));
    expect(refusal?.detail).toBe("proposal p1 is withdrawn");
    expect(refusal?.pending).toBeUndefined();
    expect(refusal?.summary).toBeUndefined();
    expect(publishRefusal(new ApiError(0, "Cannot reach the server."))?.detail).toBe("Cannot reach the server.");
    expect(publishRefusal(new Error("boom"))).toBeNull();
  });
});
