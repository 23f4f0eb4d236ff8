import type { JsonValue } from "@/types/api";

function asList(value: JsonValue | undefined): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
}

function show(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A check's details: summary, errors, warnings, then any other measured values. */
export function CheckDetails({ details, errorMessage }: { details: Record<string, JsonValue> | null | undefined; errorMessage?: string | null }) {
  const d = details ?? {};
  const errors = asList(d.errors);
  const warnings = asList(d.warnings);
  const summary = typeof d.summary === "string" ? d.summary : errorMessage;
  const rest = Object.entries(d).filter(([k, v]) => !["errors", "warnings", "summary"].includes(k) && v !== null && v !== undefined);
  return (
    <div className="space-y-2 text-sm">
      {summary && <p className="break-words">{summary}</p>}
      {errors.length > 0 && (
        <div>
          <p className="text-xs font-medium text-destructive uppercase">Errors</p>
          <ul className="list-disc space-y-0.5 pl-5 text-xs break-words">
            {errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {warnings.length > 0 && (
        <div>
          <p className="text-xs font-medium text-amber-700 uppercase dark:text-warning">Warnings</p>
          <ul className="list-disc space-y-0.5 pl-5 text-xs break-words">
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {rest.length > 0 && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
          {rest.slice(0, 12).map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-muted-foreground">{k.replace(/_/g, " ")}</dt>
              <dd className="line-clamp-3 font-mono break-all">{show(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
