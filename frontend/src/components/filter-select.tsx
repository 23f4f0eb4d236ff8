import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

const ALL = "__all__";

/** A Select for a URL filter: "All" clears it. */
export function FilterSelect({
  label,
  value,
  options,
  onChange,
  allLabel = "All",
  className = "w-40",
}: {
  label: string;
  value: string | undefined;
  options: { value: string; label?: string; count?: number }[];
  onChange: (value: string | undefined) => void;
  allLabel?: string;
  className?: string;
}) {
  return (
    <Select value={value ?? ALL} onValueChange={(v) => onChange(v === ALL ? undefined : v)}>
      <SelectTrigger aria-label={label} className={className}>
        <SelectValue placeholder={label} />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value={ALL}>
          {label}: {allLabel}
        </SelectItem>
        {options.map((option) => (
          <SelectItem key={option.value} value={option.value}>
            {option.label ?? option.value}
            {option.count !== undefined ? ` (${option.count})` : ""}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
