import { diffLines } from "diff";

export type RowKind = "same" | "changed" | "removed" | "added";

export interface DiffRow {
  kind: RowKind;
  left: { number: number; text: string } | null;
  right: { number: number; text: string } | null;
}

function lines(value: string): string[] {
  const parts = value.split("\n");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** Align two texts line by line for a side-by-side view (removed+added runs are paired). */
export function sideBySide(before: string, after: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let leftNo = 1;
  let rightNo = 1;
  const chunks = diffLines(before, after);
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    if (!chunk.added && !chunk.removed) {
      for (const text of lines(chunk.value)) {
        rows.push({ kind: "same", left: { number: leftNo++, text }, right: { number: rightNo++, text } });
      }
      continue;
    }
    if (chunk.removed) {
      const removed = lines(chunk.value);
      const next = chunks[i + 1];
      const added = next?.added ? lines(next.value) : [];
      if (next?.added) i++;
      const n = Math.max(removed.length, added.length);
      for (let k = 0; k < n; k++) {
        const l = removed[k];
        const r = added[k];
        rows.push({
          kind: l !== undefined && r !== undefined ? "changed" : l !== undefined ? "removed" : "added",
          left: l !== undefined ? { number: leftNo++, text: l } : null,
          right: r !== undefined ? { number: rightNo++, text: r } : null,
        });
      }
      continue;
    }
    for (const text of lines(chunk.value)) {
      rows.push({ kind: "added", left: null, right: { number: rightNo++, text } });
    }
  }
  return rows;
}

export interface DiffBlock {
  folded: boolean;
  rows: DiffRow[];
}

/** Unchanged runs longer than 2 × `context` + 1 lines become one foldable block. */
export function foldUnchanged(rows: DiffRow[], context = 3): DiffBlock[] {
  const blocks: DiffBlock[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i].kind !== "same") {
      const start = i;
      while (i < rows.length && rows[i].kind !== "same") i++;
      blocks.push({ folded: false, rows: rows.slice(start, i) });
      continue;
    }
    const start = i;
    while (i < rows.length && rows[i].kind === "same") i++;
    const run = rows.slice(start, i);
    const head = start === 0 ? 0 : context;
    const tail = i === rows.length ? 0 : context;
    if (run.length > head + tail + 1) {
      if (head) blocks.push({ folded: false, rows: run.slice(0, head) });
      blocks.push({ folded: true, rows: run.slice(head, run.length - tail) });
      if (tail) blocks.push({ folded: false, rows: run.slice(run.length - tail) });
    } else {
      blocks.push({ folded: false, rows: run });
    }
  }
  return blocks;
}
