import type { FieldConstraint, JsonValue } from "@/types/api";

function show(value: JsonValue): string {
  if (Array.isArray(value)) return value.map(show).join(", ");
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

const LABEL: Record<string, string> = {
  min: "≥",
  max: "≤",
  min_length: "length ≥",
  max_length: "length ≤",
  regex: "matches",
  enum: "one of",
  expression: "",
};

/** "length ≤ 255", "one of a, b", "matches ^x$" */
export function describeConstraint(c: FieldConstraint): string {
  const label = LABEL[c.type] ?? c.type;
  return `${label} ${show(c.value)}`.trim();
}
