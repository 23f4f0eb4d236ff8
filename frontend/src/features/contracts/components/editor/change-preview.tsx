import { AlertTriangle, CheckCircle2, Wand2 } from "lucide-react";
import { StatusBadge } from "@/components/status-badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError, errorMessage } from "@/lib/api-error";
import type { ChangeReport } from "@/types/api";
import { bumpVersion } from "../../lib/issues";
import { ChangeList } from "../change-list";

/** The dry-run classification of the edit: what changes, what bump it needs, whether it saves. */
export function ChangePreview({
  report,
  error,
  loading,
  stale,
  currentVersion,
  onUseVersion,
}: {
  report: ChangeReport | undefined;
  error: unknown;
  loading: boolean;
  stale: boolean;
  currentVersion: string;
  onUseVersion: (version: string) => void;
}) {
  const invalid = error instanceof ApiError && (error.status === 422 || error.status === 400);
  const suggested = report ? bumpVersion(currentVersion, report.required_bump) : null;
  const versioned = report?.changes.some((c) => c.versioned !== false) ?? false;
  return (
    <Card data-testid="change-preview" aria-live="polite">
      <CardHeader>
        <CardTitle>What this edit changes</CardTitle>
        <CardDescription>Classified by the registry as you type; nothing is saved.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        {error && !report ? (
          <p className="text-sm text-muted-foreground">{invalid ? "Fix the problems in the document to see the change classification." : `Could not classify the change: ${errorMessage(error)}`}</p>
        ) : !report ? (
          loading ? <Skeleton className="h-20" /> : <p className="text-sm text-muted-foreground">Edit the contract to see what changes.</p>
        ) : (
          <div className={stale ? "opacity-60 transition-opacity" : undefined}>
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span>Required bump:</span>
              <span data-testid="required-bump">
                <StatusBadge status={report.required_bump} label={report.required_bump} />
              </span>
              <span className="text-muted-foreground">
                {report.old_version} → {report.new_version}
                {report.actual_bump ? ` (${report.actual_bump})` : ""}
              </span>
            </div>
            {report.changes.length > 0 && (
              <div className="mt-3">
                {report.bump_ok ? (
                  <p className="flex items-center gap-2 text-sm text-success">
                    <CheckCircle2 className="size-4" /> The version fits the changes.
                  </p>
                ) : (
                  <div className="space-y-2">
                    <p className="flex items-start gap-2 text-sm text-destructive" data-testid="bump-violation">
                      <AlertTriangle className="mt-0.5 size-4 shrink-0" />
                      {report.violation ?? `These changes need a ${report.required_bump} version bump.`}
                    </p>
                    {versioned && suggested && suggested !== report.new_version && (
                      <Button size="sm" variant="outline" onClick={() => onUseVersion(suggested)}>
                        <Wand2 /> Use version {suggested}
                      </Button>
                    )}
                  </div>
                )}
              </div>
            )}
            {error ? <p className="mt-2 text-xs text-muted-foreground">Showing the last classification; the current text has problems.</p> : null}
            <div className="mt-3">
              <ChangeList changes={report.changes} empty="No changes from the saved version." />
            </div>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
