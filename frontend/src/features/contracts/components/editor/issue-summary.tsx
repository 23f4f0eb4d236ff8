import { AlertCircle, Info } from "lucide-react";
import type { ApiIssue } from "@/lib/api-error";
import { controlId } from "../../lib/issues";

function focusLoc(loc: string) {
  const parts = loc.split(".");
  while (parts.length) {
    const element = document.getElementById(controlId(parts.join(".")));
    if (element) {
      element.scrollIntoView({ block: "center", behavior: "smooth" });
      element.focus({ preventScroll: true });
      return;
    }
    parts.pop();
  }
}

export function IssueSummary({
  title,
  issues,
  tone,
  lineOf,
}: {
  title: string;
  issues: (ApiIssue & { original?: string })[];
  tone: "error" | "warning";
  lineOf?: (loc: string) => number | null;
}) {
  if (issues.length === 0) return null;
  const Icon = tone === "error" ? AlertCircle : Info;
  return (
    <div
      role={tone === "error" ? "alert" : undefined}
      className={tone === "error" ? "rounded-lg border border-destructive/40 bg-destructive/5 p-3" : "rounded-lg border border-warning/40 bg-warning/5 p-3"}
      data-testid={`issue-summary-${tone}`}
    >
      <p className={`mb-2 flex items-center gap-2 text-sm font-medium ${tone === "error" ? "text-destructive" : "text-amber-700 dark:text-warning"}`}>
        <Icon className="size-4" /> {title}
      </p>
      <ul className="space-y-1 text-sm">
        {issues.map((issue, i) => {
          const loc = issue.original ?? issue.loc;
          const line = lineOf?.(loc);
          return (
            <li key={i}>
              {lineOf ? (
                <span className="font-mono text-xs text-muted-foreground">{line ? `line ${line} · ` : ""}{loc}</span>
              ) : (
                <button type="button" className="font-mono text-xs text-primary hover:underline" onClick={() => focusLoc(issue.loc)}>
                  {loc}
                </button>
              )}
              <span className="block break-words">{issue.message}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
