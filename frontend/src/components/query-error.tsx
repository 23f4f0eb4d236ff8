import { AlertCircle } from "lucide-react";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/api-error";

/** Inline error for a section whose data failed to load (the toast already told the user). */
export function QueryError({ error, retry, what = "data" }: { error: unknown; retry?: () => void; what?: string }) {
  return (
    <div role="alert" className="flex flex-wrap items-center gap-3 rounded-lg border border-destructive/30 bg-destructive/5 px-4 py-3 text-sm">
      <AlertCircle className="size-4 text-destructive" aria-hidden />
      <span className="min-w-0 flex-1 break-words">
        Could not load {what}: {errorMessage(error)}
      </span>
      {retry && (
        <Button size="sm" variant="outline" onClick={retry}>
          Try again
        </Button>
      )}
    </div>
  );
}
