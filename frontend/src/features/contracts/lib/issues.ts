import type { ApiIssue } from "@/lib/api-error";

/** The form control's DOM id for a document location such as `schema.1.data_type`. */
export function controlId(loc: string): string {
  return `doc-${loc}`;
}

/** Issues located exactly at `loc`. */
export function issuesAt(issues: ApiIssue[], loc: string): ApiIssue[] {
  return issues.filter((issue) => issue.loc === loc);
}

/**
 * Find the closest control for an issue: `schema.1.constraints.0.value` falls back to
 * `schema.1.constraints.0`, then `schema.1`, ... until a location the form shows.
 */
export function nearestLoc(loc: string, known: Set<string>): string | null {
  const parts = loc.split(".");
  while (parts.length > 0) {
    const candidate = parts.join(".");
    if (known.has(candidate)) return candidate;
    parts.pop();
  }
  return null;
}

const BUMPS = ["none", "patch", "minor", "major"] as const;

/** The smallest version that satisfies `bump` from `current` ("1.4.2" + minor → "1.5.0"). */
export function bumpVersion(current: string, bump: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(current);
  if (!match) return current;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  switch (bump) {
    case "major":
      return `${major + 1}.0.0`;
    case "minor":
      return `${major}.${minor + 1}.0`;
    case "patch":
      return `${major}.${minor}.${patch + 1}`;
    default:
      return current;
  }
}

export function bumpRank(bump: string | null | undefined): number {
  return BUMPS.indexOf((bump ?? "none") as (typeof BUMPS)[number]);
}

const FIELD_KEYS = ["name", "data_type", "example_value", "description", "nullable", "is_primary_key", "unique", "is_pii", "is_foreign_key", "foreign_key_reference"];
const QUALITY_KEYS = ["metric_type", "threshold", "measurement_method", "alert_on_breach"];
const SUBSCRIBER_KEYS = ["team", "use_case", "contact_email", "fields_used"];

interface DocShape {
  schema?: { constraints?: unknown[]; is_foreign_key?: boolean }[];
  quality?: unknown[];
  subscribers?: unknown[];
  access?: unknown;
}

/** Every location the form shows a control (or a group) for. */
export function knownLocations(doc: DocShape): Set<string> {
  const known = new Set(["(document)", "name", "version", "status", "description", "table", "tags", "publisher", "publisher.team", "publisher.owner", "publisher.contact_email", "publisher.repository_url", "schema", "quality", "subscribers", "access"]);
  (doc.schema ?? []).forEach((field, i) => {
    known.add(`schema.${i}`);
    // The references input exists only while the field is marked as a foreign key.
    FIELD_KEYS.filter((k) => k !== "foreign_key_reference" || field?.is_foreign_key).forEach((k) => known.add(`schema.${i}.${k}`));
    (field?.constraints ?? []).forEach((_, j) => ["type", "value", "message"].forEach((k) => known.add(`schema.${i}.constraints.${j}.${k}`)));
  });
  (doc.quality ?? []).forEach((_, i) => {
    known.add(`quality.${i}`);
    QUALITY_KEYS.forEach((k) => known.add(`quality.${i}.${k}`));
  });
  (doc.subscribers ?? []).forEach((_, i) => {
    known.add(`subscribers.${i}`);
    SUBSCRIBER_KEYS.forEach((k) => known.add(`subscribers.${i}.${k}`));
  });
  if (doc.access) ["endpoint_url", "methods", "auth_type", "required_scopes", "rate_limit"].forEach((k) => known.add(`access.${k}`));
  return known;
}

/**
 * Move each issue to the control that shows it: `schema.1.data_type` stays, a constraint's
 * own error (`schema.1.constraints.0`) goes to its value, `tags.2` to the tags input, and
 * anything the form does not show goes to the document as a whole.
 */
export function placeIssues(issues: ApiIssue[], doc: DocShape): ApiIssue[] {
  const known = knownLocations(doc);
  return issues.map((issue) => {
    let loc = issue.loc || "(document)";
    if (/^schema\.\d+\.constraints\.\d+$/.test(loc)) loc = `${loc}.value`;
    return { ...issue, loc: nearestLoc(loc, known) ?? "(document)", original: issue.loc } as ApiIssue;
  });
}
