import { StatusBadge } from "@/components/status-badge";
import type { Change } from "@/types/api";

const ORDER: Record<string, number> = { breaking: 0, warning: 1, info: 2 };

export function ChangeList({ changes, empty = "No changes." }: { changes: Change[]; empty?: string }) {
  if (changes.length === 0) return <p className="text-sm text-muted-foreground">{empty}</p>;
  const sorted = [...changes].sort((a, b) => (ORDER[a.severity] ?? 3) - (ORDER[b.severity] ?? 3));
  return (
    <ul className="divide-y rounded-lg border" data-testid="change-list">
      {sorted.map((change, i) => (
        <li key={`${change.path}-${i}`} className="flex flex-wrap items-start gap-3 px-3 py-2 text-sm">
          <StatusBadge status={change.severity} />
          <div className="min-w-0 flex-1">
            <p className="break-words">{change.message}</p>
            <p className="font-mono text-xs text-muted-foreground">
              {change.path}
              {change.versioned === false && " · needs no new version"}
            </p>
            {change.affected_subscribers && change.affected_subscribers.length > 0 && (
              <p className="text-xs text-destructive">Affects: {change.affected_subscribers.join(", ")}</p>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function severityCounts(changes: Change[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of changes) counts[c.severity] = (counts[c.severity] ?? 0) + 1;
  return counts;
}
