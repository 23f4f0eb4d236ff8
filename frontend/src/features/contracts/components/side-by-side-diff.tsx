import { Fragment, useMemo, useState } from "react";
import { cn } from "@/lib/utils";
import { foldUnchanged, sideBySide, type DiffRow } from "../lib/side-by-side";

const LEFT: Record<DiffRow["kind"], string> = {
  same: "",
  changed: "bg-destructive/10",
  removed: "bg-destructive/15",
  added: "bg-muted/50",
};
const RIGHT: Record<DiffRow["kind"], string> = {
  same: "",
  changed: "bg-success/10",
  removed: "bg-muted/50",
  added: "bg-success/15",
};

export function SideBySideDiff({ before, after, leftTitle, rightTitle }: { before: string; after: string; leftTitle: string; rightTitle: string }) {
  const rows = useMemo(() => sideBySide(before, after), [before, after]);
  const [expanded, setExpanded] = useState<Set<number>>(() => new Set());
  const blocks = useMemo(() => foldUnchanged(rows), [rows]);
  return (
    <div className="overflow-hidden rounded-lg border" data-testid="side-by-side-diff">
      <div className="grid grid-cols-2 border-b bg-muted/50 text-xs font-medium">
        <div className="px-3 py-2">{leftTitle}</div>
        <div className="border-l px-3 py-2">{rightTitle}</div>
      </div>
      <div className="max-h-[32rem] overflow-auto font-mono text-xs leading-5">
        <table className="w-full table-fixed border-collapse">
          <colgroup>
            <col className="w-10" />
            <col />
            <col className="w-10" />
            <col />
          </colgroup>
          <tbody>
            {blocks.map((block, b) =>
              block.folded && !expanded.has(b) ? (
                <tr key={`fold-${b}`}>
                  <td colSpan={4} className="border-y bg-muted/40 px-3 py-1 text-center">
                    <button type="button" className="text-primary hover:underline" onClick={() => setExpanded(new Set(expanded).add(b))}>
                      ⋯ {block.rows.length} unchanged lines
                    </button>
                  </td>
                </tr>
              ) : (
                <Fragment key={`block-${b}`}>
                  {block.rows.map((row, i) => (
                    <tr key={`${b}-${i}`} data-kind={row.kind}>
                <td className={cn("px-2 text-right align-top text-muted-foreground select-none", LEFT[row.kind])}>{row.left?.number}</td>
                <td className={cn("px-2 align-top break-all whitespace-pre-wrap", LEFT[row.kind])}>
                  {row.left && row.kind !== "same" && <span className="mr-1 text-destructive select-none">−</span>}
                  {row.left?.text}
                </td>
                <td className={cn("border-l px-2 text-right align-top text-muted-foreground select-none", RIGHT[row.kind])}>{row.right?.number}</td>
                <td className={cn("px-2 align-top break-all whitespace-pre-wrap", RIGHT[row.kind])}>
                  {row.right && row.kind !== "same" && <span className="mr-1 text-success select-none">+</span>}
                  {row.right?.text}
                </td>
              </tr>
                  ))}
                </Fragment>
              ),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
