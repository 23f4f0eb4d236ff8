import { describe, expect, it } from "vitest";
import { foldUnchanged, sideBySide } from "./side-by-side";

describe("sideBySide", () => {
  it("pairs a changed line and pads added ones", () => {
    const rows = sideBySide("a\nb\nc\n", "a\nB\nc\nd\n");
    expect(rows.map((r) => [r.kind, r.left?.text ?? null, r.right?.text ?? null])).toEqual([
      ["same", "a", "a"],
      ["changed", "b", "B"],
      ["same", "c", "c"],
      ["added", null, "d"],
    ]);
    expect(rows.at(-1)?.right?.number).toBe(4);
  });

  it("shows removed lines on the left only", () => {
    const rows = sideBySide("a\nx\n", "a\n");
    expect(rows[1]).toMatchObject({ kind: "removed", left: { text: "x" }, right: null });
  });
});

describe("foldUnchanged", () => {
  it("folds long unchanged runs and keeps three lines of context around changes", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const after = before.replace("line 10", "LINE 10");
    const blocks = foldUnchanged(sideBySide(before, after));
    expect(blocks.map((b) => [b.folded, b.rows.length])).toEqual([
      [true, 7],
      [false, 3],
      [false, 1],
      [false, 3],
      [true, 6],
    ]);
  });
});
