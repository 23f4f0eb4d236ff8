import { Search, X } from "lucide-react";
import { useEffect, useEffectEvent, useState } from "react";
import { Input } from "@/components/ui/input";
import { useDebouncedValue } from "@/lib/use-debounced-value";
import { cn } from "@/lib/utils";

/** A search box whose (debounced) value lives in the URL. */
export function SearchInput({
  value,
  onChange,
  placeholder,
  label,
  className,
  autoFocus,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  label: string;
  className?: string;
  autoFocus?: boolean;
}) {
  const [text, setText] = useState(value);
  // a new value from outside (the URL: back button, "Clear filters") replaces the typed text
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  const debounced = useDebouncedValue(text, 300);
  // only the debounced text drives updates: a new `value` or `onChange` alone sends nothing
  const send = useEffectEvent((next: string) => {
    if (next !== value) onChange(next);
  });
  useEffect(() => send(debounced), [debounced]);
  return (
    <div className={cn("relative", className)}>
      <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
      <Input
        type="search"
        aria-label={label}
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") onChange(text);
        }}
        className="pr-8 pl-9"
        autoFocus={autoFocus}
      />
      {text && (
        <button
          type="button"
          aria-label="Clear search"
          className="absolute top-1/2 right-2 -translate-y-1/2 rounded-sm p-0.5 text-muted-foreground hover:text-foreground"
          onClick={() => {
            setText("");
            onChange("");
          }}
        >
          <X className="size-4" />
        </button>
      )}
    </div>
  );
}
