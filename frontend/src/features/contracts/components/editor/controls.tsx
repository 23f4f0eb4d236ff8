import { useState, type ReactNode } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { cn } from "@/lib/utils";
import { controlId } from "../../lib/issues";
import { FieldIssues, useControlProps } from "./issue-context";

export function TextControl({
  loc,
  label,
  value,
  onChange,
  placeholder,
  hint,
  multiline,
  className,
  type = "text",
  mono,
  required,
}: {
  loc: string;
  label: string;
  value: string | null | undefined;
  onChange: (value: string) => void;
  placeholder?: string;
  hint?: ReactNode;
  multiline?: boolean;
  className?: string;
  type?: string;
  mono?: boolean;
  required?: boolean;
}) {
  const props = useControlProps(loc);
  return (
    <div className={cn("space-y-1.5", className)}>
      <Label htmlFor={props.id}>
        {label}
        {required && <span className="text-destructive" aria-hidden>*</span>}
      </Label>
      {multiline ? (
        <Textarea {...props} value={value ?? ""} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} rows={2} />
      ) : (
        <Input {...props} type={type} value={value ?? ""} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} className={mono ? "font-mono" : undefined} required={required} />
      )}
      {hint && <p className="text-xs text-muted-foreground">{hint}</p>}
      <FieldIssues loc={loc} />
    </div>
  );
}

export function SelectControl<T extends string>({
  loc,
  label,
  value,
  options,
  onChange,
  className,
}: {
  loc: string;
  label: string;
  value: T | undefined;
  options: readonly T[];
  onChange: (value: T) => void;
  className?: string;
}) {
  const props = useControlProps(loc);
  return (
    <div className={cn("space-y-1.5", className)}>
      <Label htmlFor={props.id}>{label}</Label>
      <Select value={value} onValueChange={(v) => onChange(v as T)}>
        <SelectTrigger {...props}>
          <SelectValue placeholder="choose…" />
        </SelectTrigger>
        <SelectContent>
          {options.map((o) => (
            <SelectItem key={o} value={o}>
              {o.replace(/_/g, " ")}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      <FieldIssues loc={loc} />
    </div>
  );
}

export function CheckControl({ loc, label, checked, onChange }: { loc: string; label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = controlId(loc);
  const props = useControlProps(loc);
  return (
    <div>
      <div className="flex items-center gap-2">
        <Checkbox {...props} id={id} checked={checked} onCheckedChange={(v) => onChange(v === true)} />
        <Label htmlFor={id} className="font-normal">
          {label}
        </Label>
      </div>
      <FieldIssues loc={loc} />
    </div>
  );
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Comma-separated list input ("a, b, c" ↔ ["a","b","c"]); keeps what is typed while typing. */
export function ListControl({ loc, label, value, onChange, placeholder, hint, className }: { loc: string; label: string; value: string[] | undefined; onChange: (value: string[]) => void; placeholder?: string; hint?: ReactNode; className?: string }) {
  const list = value ?? [];
  const [text, setText] = useState(list.join(", "));
  // Follow outside changes (the YAML editor), not the ones this input just made.
  if (splitList(text).join("\u0000") !== list.join("\u0000")) {
    const joined = list.join(", ");
    if (joined !== text) setText(joined);
  }
  return (
    <TextControl
      loc={loc}
      label={label}
      value={text}
      placeholder={placeholder}
      hint={hint}
      className={className}
      onChange={(next) => {
        setText(next);
        onChange(splitList(next));
      }}
    />
  );
}
