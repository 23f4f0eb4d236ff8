type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function partner(reference: Json[], item: Json, index: number): Json {
  if (isRecord(item) && typeof item.name === "string") {
    const named = reference.find((r) => isRecord(r) && r.name === item.name);
    if (named !== undefined) return named;
  }
  return reference[index];
}

/** `value` with its keys in `reference`'s order (new keys last), recursively, so that a line
 * diff of the two as YAML shows what changed, not how the keys were ordered. */
export function alignKeys<T>(reference: Json, value: T): T {
  if (Array.isArray(value)) {
    const ref = Array.isArray(reference) ? reference : [];
    return value.map((item: Json, i) => alignKeys(partner(ref, item, i), item)) as T;
  }
  if (!isRecord(value)) return value;
  const ref = isRecord(reference) ? reference : {};
  const out: Record<string, Json> = {};
  for (const key of Object.keys(ref)) if (key in value) out[key] = alignKeys(ref[key], value[key]);
  for (const key of Object.keys(value)) if (!(key in out)) out[key] = alignKeys(undefined, value[key]);
  return out as T;
}
