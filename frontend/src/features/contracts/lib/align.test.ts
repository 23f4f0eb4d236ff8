import { describe, expect, it } from "vitest";
import { alignKeys } from "./align";

describe("alignKeys", () => {
  it("orders keys like the reference, fields matched by name, new keys last", () => {
    const reference = { name: "orders", version: "1.0.0", schema: [{ name: "a", data_type: "uuid" }, { name: "b", data_type: "string" }] };
    const value = { version: "2.0.0", schema: [{ data_type: "string", name: "b", nullable: true }], name: "orders", change_policy: { notice_days: 14 } };
    const aligned = alignKeys(reference, value);
    expect(JSON.stringify(aligned)).toBe(
      JSON.stringify({ name: "orders", version: "2.0.0", schema: [{ name: "b", data_type: "string", nullable: true }], change_policy: { notice_days: 14 } }),
    );
  });
});
