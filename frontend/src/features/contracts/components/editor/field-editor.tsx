import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DATA_TYPES, type ContractField, type FieldConstraint } from "@/types/api";
import { CheckControl, SelectControl, TextControl } from "./controls";
import { ConstraintRow } from "./constraint-row";
import { FieldIssues } from "./issue-context";

function exampleText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function FieldEditor({
  index,
  field,
  count,
  onChange,
  onRemove,
  onMove,
}: {
  index: number;
  field: ContractField;
  count: number;
  onChange: (field: ContractField) => void;
  onRemove: () => void;
  onMove: (offset: number) => void;
}) {
  const loc = `schema.${index}`;
  const set = <K extends keyof ContractField>(key: K, value: ContractField[K]) => onChange({ ...field, [key]: value });
  const constraints = field.constraints ?? [];
  const setConstraints = (next: FieldConstraint[]) => onChange({ ...field, constraints: next });
  return (
    <fieldset className="rounded-lg border p-4" id={`doc-${loc}`} tabIndex={-1} data-testid={`field-editor-${index}`}>
      <legend className="px-1 font-mono text-sm font-medium">{field.name || `field ${index + 1}`}</legend>
      <FieldIssues loc={loc} />
      <div className="grid gap-3 md:grid-cols-[1fr_10rem_1fr]">
        <TextControl loc={`${loc}.name`} label="Name" value={field.name} mono required onChange={(v) => set("name", v)} placeholder="customer_id" />
        <SelectControl loc={`${loc}.data_type`} label="Type" value={field.data_type} options={DATA_TYPES} onChange={(v) => set("data_type", v)} />
        <TextControl loc={`${loc}.example_value`} label="Example" value={exampleText(field.example_value)} onChange={(v) => set("example_value", v === "" ? undefined : v)} />
        <TextControl loc={`${loc}.description`} label="Description" className="md:col-span-3" value={field.description ?? ""} onChange={(v) => set("description", v)} placeholder="What the field holds, in the consumer's words" />
      </div>
      <div className="mt-3 flex flex-wrap gap-x-6 gap-y-2">
        <CheckControl loc={`${loc}.nullable`} label="Nullable" checked={field.nullable !== false} onChange={(v) => set("nullable", v)} />
        <CheckControl
          loc={`${loc}.is_primary_key`}
          label="Primary key"
          checked={Boolean(field.is_primary_key)}
          onChange={(v) => onChange({ ...field, is_primary_key: v, nullable: v ? false : field.nullable })}
        />
        <CheckControl loc={`${loc}.unique`} label="Unique" checked={Boolean(field.unique)} onChange={(v) => set("unique", v)} />
        <CheckControl loc={`${loc}.is_pii`} label="PII" checked={Boolean(field.is_pii)} onChange={(v) => set("is_pii", v)} />
        <CheckControl
          loc={`${loc}.is_foreign_key`}
          label="Foreign key"
          checked={Boolean(field.is_foreign_key)}
          onChange={(v) => onChange({ ...field, is_foreign_key: v, foreign_key_reference: v ? (field.foreign_key_reference ?? "") : undefined })}
        />
      </div>
      {field.is_foreign_key && (
        <TextControl
          loc={`${loc}.foreign_key_reference`}
          label="References"
          className="mt-3 max-w-md"
          mono
          value={field.foreign_key_reference ?? ""}
          placeholder="customers.customer_id"
          hint="contract_name.field_name of the referenced field"
          onChange={(v) => set("foreign_key_reference", v)}
        />
      )}
      <div className="mt-3 space-y-2">
        {constraints.map((c, ci) => (
          <ConstraintRow
            key={ci}
            loc={`${loc}.constraints.${ci}`}
            constraint={c}
            onChange={(next) => setConstraints(constraints.map((old, k) => (k === ci ? next : old)))}
            onRemove={() => setConstraints(constraints.filter((_, k) => k !== ci))}
          />
        ))}
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <Button variant="outline" size="sm" onClick={() => setConstraints([...constraints, { type: "max_length", value: 255 }])}>
          <Plus /> Constraint
        </Button>
        <div className="flex-1" />
        <Button variant="ghost" size="icon" aria-label="Move field up" disabled={index === 0} onClick={() => onMove(-1)}>
          <ArrowUp />
        </Button>
        <Button variant="ghost" size="icon" aria-label="Move field down" disabled={index === count - 1} onClick={() => onMove(1)}>
          <ArrowDown />
        </Button>
        <Button variant="ghost" size="sm" className="text-destructive" onClick={onRemove} disabled={count === 1}>
          <Trash2 /> Remove field
        </Button>
      </div>
    </fieldset>
  );
}
