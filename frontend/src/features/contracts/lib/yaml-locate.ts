import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";

/** The 1-based line of `loc` (e.g. `schema.1.data_type`) in YAML text, or the closest parent's. */
export function lineOf(text: string, loc: string): number | null {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length) return null;
  let node: unknown = doc.contents;
  const at = (n: unknown) => {
    const range = (n as Node | null)?.range;
    return range ? counter.linePos(range[0]).line : null;
  };
  let line = at(node);
  for (const part of loc.split(".")) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as Node & { value?: unknown })?.toJSON?.() ?? "") === part);
      if (!pair) break;
      line = at(pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(part)];
      if (item === undefined) break;
      line = at(item) ?? line;
      node = item;
    } else break;
  }
  return line;
}
