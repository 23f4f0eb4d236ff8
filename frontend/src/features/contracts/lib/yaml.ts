import { parseDocument, stringify } from "yaml";
import type { Contract, ContractDocument } from "@/types/api";

const READ_ONLY_KEYS = ["id", "created_at", "updated_at", "compliance"] as const;

/** The document without the server's read-only keys (what you PUT). */
export function toDocument(contract: Contract | ContractDocument): ContractDocument {
  const copy: Record<string, unknown> = { ...contract };
  for (const key of READ_ONLY_KEYS) delete copy[key];
  return copy as unknown as ContractDocument;
}

export function toYaml(document: ContractDocument): string {
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

export class YamlSyntaxError extends Error {
  readonly line: number | null;
  constructor(message: string, line: number | null) {
    super(message);
    this.name = "YamlSyntaxError";
    this.line = line;
  }
}

/** Parse the YAML editor's text; a syntax error says where it is. */
export function parseYaml(text: string): ContractDocument {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? null;
    throw new YamlSyntaxError(first.message.split("\n")[0] ?? "invalid YAML", line);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new YamlSyntaxError("the document must be a mapping (name: …, version: …, schema: …)", null);
  }
  return value as ContractDocument;
}
