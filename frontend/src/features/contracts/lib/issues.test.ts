import { describe, expect, it } from "vitest";
import { bumpVersion, placeIssues } from "./issues";

const doc = {
  schema: [{ constraints: [] }, { constraints: [{}] }],
  quality: [{}],
  subscribers: [{}],
  access: {},
};

describe("placeIssues", () => {
  it("sends a hidden references input's error to its field", () => {
    expect(placeIssues([{ loc: "schema.0.foreign_key_reference", message: "bad" }], doc)[0]?.loc).toBe("schema.0");
  });

  it("keeps a location the form shows", () => {
    expect(placeIssues([{ loc: "schema.1.data_type", message: "bad" }], doc)[0]?.loc).toBe("schema.1.data_type");
  });

  it("moves a constraint's own error to its value", () => {
    expect(placeIssues([{ loc: "schema.1.constraints.0", message: "needs a number" }], doc)[0]?.loc).toBe("schema.1.constraints.0.value");
  });

  it("falls back to the nearest control, then the document", () => {
    const placed = placeIssues(
      [
        { loc: "tags.2", message: "too long" },
        { loc: "metadata.x.y", message: "?" },
        { loc: "", message: "duplicate field name(s): id" },
      ],
      doc,
    );
    expect(placed.map((i) => i.loc)).toEqual(["tags", "(document)", "(document)"]);
  });
});

describe("bumpVersion", () => {
  it.each([
    ["1.4.2", "major", "2.0.0"],
    ["1.4.2", "minor", "1.5.0"],
    ["1.4.2", "patch", "1.4.3"],
    ["1.4.2", "none", "1.4.2"],
  ])("%s + %s = %s", (from, bump, to) => {
    expect(bumpVersion(from, bump)).toBe(to);
  });
});
