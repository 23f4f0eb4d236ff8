import { Trash2 } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CONSTRAINT_TYPES, type ConstraintType, type FieldConstraint, type JsonValue } from "@/types/api";
import { SelectControl, TextControl } from "./controls";

function toText(type: ConstraintType, value: JsonValue): string {
  if (value === null || value === undefined) return "";
  if (type === "enum" && Array.isArray(value)) return value.map(String).join(", ");
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The typed value the server expects for a constraint kind, from what was typed. */
export function parseConstraintValue(type: ConstraintType, text: string): JsonValue {
  const trimmed = text.trim();
  if (type === "enum") return trimmed ? trimmed.split(",").map((s) => s.trim()).filter(Boolean) : [];
  if (type === "min" || type === "max" || type === "min_length" || type === "max_length") {
    if (trimmed === "") return null;
    const n = Number(trimmed);
    return Number.isFinite(n) ? n : trimmed; // the server names a non-number
  }
  return text;
}

export function ConstraintRow({ loc, constraint, onChange, onRemove }: { loc: string; constraint: FieldConstraint; onChange: (c: FieldConstraint) => void; onRemove: () => void }) {
  const [text, setText] = useState(toText(constraint.type, constraint.value));
  const typed = parseConstraintValue(constraint.type, text);
  if (JSON.stringify(typed) !== JSON.stringify(constraint.value)) {
    const outside = toText(constraint.type, constraint.value);
    if (outside !== text && JSON.stringify(parseConstraintValue(constraint.type, outside)) === JSON.stringify(constraint.value)) setText(outside);
  }
  const placeholder: Record<ConstraintType, string> = {
    min: "0",
    max: "100",
    min_length: "1",
    max_length: "255",
    regex: "^[A-Z]{2}$",
    enum: "pending, shipped, delivered",
    expression: "amount >= 0",
  };
  return (
    <div className="grid grid-cols-[9rem_1fr_1fr_auto] items-start gap-2" data-testid={`constraint-${loc}`}>
      <SelectControl
        loc={`${loc}.type`}
        label="Constraint"
        value={constraint.type}
        options={CONSTRAINT_TYPES}
        onChange={(type) => onChange({ ...constraint, type, value: parseConstraintValue(type, text) })}
      />
      <TextControl
        loc={`${loc}.value`}
        label={constraint.type === "enum" ? "Allowed values (comma-separated)" : "Value"}
        value={text}
        mono
        placeholder={placeholder[constraint.type]}
        onChange={(next) => {
          setText(next);
          onChange({ ...constraint, value: parseConstraintValue(constraint.type, next) });
        }}
      />
      <TextControl loc={`${loc}.message`} label="Message (optional)" value={constraint.message ?? ""} onChange={(message) => onChange({ ...constraint, message: message || undefined })} />
      <Button variant="ghost" size="icon" className="mt-6" aria-label="Remove constraint" onClick={onRemove}>
        <Trash2 />
      </Button>
    </div>
  );
}
