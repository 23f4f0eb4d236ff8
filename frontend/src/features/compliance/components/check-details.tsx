import { StatusBadge } from "@/components/status-badge";
import type { JsonValue } from "@/types/api";

type Json = Record<string, JsonValue>;

function isRecord(value: JsonValue | undefined): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asList(value: JsonValue | undefined): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
}

function show(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `{"email": {"status": "fail", "found": "97%", ...}, ...}`: a measurement per field. */
function isPerField(value: JsonValue | undefined): value is Record<string, Json> {
  return isRecord(value) && Object.keys(value).length > 0 && Object.values(value).every(isRecord);
}

function PerField({ name, fields }: { name: string; fields: Record<string, Json> }) {
  const rows = Object.entries(fields).sort(([, a], [, b]) => Number(a.status === "pass") - Number(b.status === "pass"));
  return (
    <div>
      <p className="mb-1 text-xs text-muted-foreground">{name.replace(/_/g, " ")}</p>
      <ul className="space-y-0.5 text-xs">
        {rows.slice(0, 10).map(([field, m]) => (
          <li key={field} className="flex items-start gap-2">
            {typeof m.status === "string" && <StatusBadge status={m.status} />}
            <span className="min-w-0 break-words">
              <span className="font-mono font-medium">{field}</span>
              {m.found !== undefined && <> · {show(m.found)}</>}
              {typeof m.message === "string" && m.message && <> · {m.message}</>}
            </span>
          </li>
        ))}
        {rows.length > 10 && <li className="text-muted-foreground">and {rows.length - 10} more</li>}
      </ul>
    </div>
  );
}

/** A check's details: summary, errors, warnings, per-field results, then other measured values. */
export function CheckDetails({ details, errorMessage }: { details: Json | null | undefined; errorMessage?: string | null }) {
  const d = details ?? {};
  const errors = asList(d.errors);
  const warnings = asList(d.warnings);
  const summary = typeof d.summary === "string" ? d.summary : errorMessage;
  const entries = Object.entries(d).filter(([k, v]) => !["errors", "warnings", "summary"].includes(k) && v !== null && v !== undefined && !(isRecord(v) && Object.keys(v).length === 0) && !(Array.isArray(v) && v.length === 0));
  const perField = entries.filter(([, v]) => isPerField(v)) as [string, Record<string, Json>][];
  const rest = entries.filter(([, v]) => !isPerField(v));
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
      {perField.map(([name, fields]) => (
        <PerField key={name} name={name} fields={fields} />
      ))}
      {rest.length > 0 && (
        <details className="text-xs">
          <summary className="cursor-pointer text-muted-foreground">Measurements</summary>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
            {rest.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-muted-foreground">{k.replace(/_/g, " ")}</dt>
                <dd className="line-clamp-3 font-mono break-all">{show(v)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </div>
  );
}
