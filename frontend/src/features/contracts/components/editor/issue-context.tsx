import { createContext, useContext } from "react";
import type { ApiIssue } from "@/lib/api-error";
import { controlId, issuesAt } from "../../lib/issues";

/** The server's problems with the document, by location, for every control to look up. */
export const IssueContext = createContext<ApiIssue[]>([]);

export function useIssues(loc: string): ApiIssue[] {
  return issuesAt(useContext(IssueContext), loc);
}

export function FieldIssues({ loc }: { loc: string }) {
  const issues = useIssues(loc);
  if (issues.length === 0) return null;
  return (
    <ul id={`${controlId(loc)}-error`} className="mt-1 space-y-0.5 text-xs text-destructive" data-testid={`issue-${loc}`}>
      {issues.map((issue, i) => (
        <li key={i}>{issue.message}</li>
      ))}
    </ul>
  );
}

/** aria props that tie a control to its issues. */
export function useControlProps(loc: string) {
  const invalid = useIssues(loc).length > 0;
  return {
    id: controlId(loc),
    "aria-invalid": invalid || undefined,
    "aria-describedby": invalid ? `${controlId(loc)}-error` : undefined,
  } as const;
}
