import { tickParts } from "../lib/answers";

/** The verdict's one line, team names set as code. */
export function VerdictSummary({ summary }: { summary: string }) {
  return (
    <span data-testid="verdict-summary">
      {tickParts(summary).map((part, i) =>
        part.code ? (
          <code key={i} className="rounded bg-muted px-1 font-mono text-xs">
            {part.text}
          </code>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </span>
  );
}
