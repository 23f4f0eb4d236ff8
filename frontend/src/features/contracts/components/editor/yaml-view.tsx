import { lazy, Suspense } from "react";
import { Skeleton } from "@/components/ui/skeleton";

const YamlCodeEditor = lazy(() => import("./yaml-code-editor"));

export function YamlView({ text, onChange, syntaxError }: { text: string; onChange: (text: string) => void; syntaxError: string | null }) {
  return (
    <div className="space-y-2">
      {syntaxError && (
        <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/5 px-3 py-2 text-sm text-destructive" data-testid="yaml-syntax-error">
          YAML syntax: {syntaxError}. The form keeps the last valid document until this is fixed.
        </p>
      )}
      <Suspense fallback={<Skeleton className="h-[28rem]" />}>
        <YamlCodeEditor value={text} onChange={onChange} ariaLabel="Contract YAML" />
      </Suspense>
    </div>
  );
}
