import type { ContractDocument, ContractField } from "@/types/api";

type Path = (string | number)[];

/** A copy of `target` with the value at `path` replaced (creating objects/arrays on the way). */
export function setIn<T>(target: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const source: unknown = target ?? (typeof head === "number" ? [] : {});
  if (Array.isArray(source)) {
    const copy: unknown[] = [...(source as unknown[])];
    copy[head as number] = setIn(copy[head as number], rest, value);
    return copy as T;
  }
  const record = { ...(source as Record<string, unknown>) };
  const key = String(head);
  const next = setIn(record[key], rest, value);
  if (next === undefined) delete record[key];
  else record[key] = next;
  return record as T;
}

export function emptyField(): ContractField {
  return { name: "", data_type: "string", nullable: true };
}

export function emptyDocument(): ContractDocument {
  return {
    name: "",
    version: "1.0.0",
    description: "",
    status: "active",
    publisher: { team: "", owner: "" },
    schema: [{ name: "id", data_type: "uuid", nullable: false, is_primary_key: true, description: "" }],
    quality: [],
    subscribers: [],
    tags: [],
  };
}

/** Drop the empty strings a form leaves behind, so optional keys are simply absent. */
export function cleanDocument(doc: ContractDocument): ContractDocument {
  return prune(doc) as ContractDocument;
}

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === "" || v === undefined) continue;
      out[k] = prune(v);
    }
    return out;
  }
  return value;
}
