import { cn } from "@/lib/utils";

/** One facet: values with counts; the chosen one is highlighted and clicking it again clears it. */
export function FacetGroup({
  title,
  counts,
  selected,
  onSelect,
  label = (v) => v,
}: {
  title: string;
  counts: Record<string, number>;
  selected: string | undefined;
  onSelect: (value: string | undefined) => void;
  label?: (value: string) => string;
}) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (entries.length === 0) return null;
  return (
    <fieldset className="space-y-1">
      <legend className="mb-1 text-xs font-medium tracking-wide text-muted-foreground uppercase">{title}</legend>
      {entries.map(([value, count]) => {
        const active = selected === value;
        return (
          <button
            key={value}
            type="button"
            aria-pressed={active}
            onClick={() => onSelect(active ? undefined : value)}
            className={cn(
              "flex w-full items-center justify-between rounded-md px-2 py-1 text-left text-sm hover:bg-accent",
              active && "bg-accent font-medium text-accent-foreground",
            )}
          >
            <span className="truncate">{label(value)}</span>
            <span className="ml-2 text-xs text-muted-foreground tabular-nums">{count}</span>
          </button>
        );
      })}
    </fieldset>
  );
}
