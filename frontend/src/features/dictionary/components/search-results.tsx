import { Database, Fingerprint, KeyRound, Link2 } from "lucide-react";
import { Link } from "react-router";
import { Highlight } from "@/components/highlight";
import { StatusBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import type { SearchHit } from "@/types/api";

function hitLink(hit: SearchHit): string {
  const base = `/contracts/name/${encodeURIComponent(hit.dataset)}`;
  return hit.kind === "field" ? `${base}?tab=schema#field-${encodeURIComponent(hit.field ?? "")}` : base;
}

export function SearchResults({ hits }: { hits: SearchHit[] }) {
  return (
    <ul className="divide-y rounded-lg border bg-card" data-testid="search-results">
      {hits.map((hit) => (
        <li key={`${hit.kind}:${hit.dataset}:${hit.field ?? ""}`} className="p-4">
          <div className="flex flex-wrap items-center gap-2">
            {hit.kind === "dataset" ? <Database className="size-4 text-muted-foreground" aria-label="dataset" /> : null}
            <Link to={hitLink(hit)} className="font-mono font-medium text-primary hover:underline">
              {hit.kind === "field" ? (
                <>
                  <span className="text-muted-foreground">{hit.dataset}.</span>
                  <Highlight html={hit.highlights.name} />
                </>
              ) : (
                <Highlight html={hit.highlights.name} />
              )}
            </Link>
            {hit.data_type && (
              <Badge variant="outline" className="font-mono">
                {hit.data_type}
              </Badge>
            )}
            {hit.is_primary_key && (
              <Badge>
                <KeyRound aria-hidden /> PK
              </Badge>
            )}
            {hit.is_foreign_key && (
              <Badge variant="secondary" title={hit.foreign_key_reference ?? undefined}>
                <Link2 aria-hidden /> FK {hit.foreign_key_reference ? `→ ${hit.foreign_key_reference}` : ""}
              </Badge>
            )}
            {hit.is_pii && (
              <Badge variant="warning">
                <Fingerprint aria-hidden /> PII
              </Badge>
            )}
            {hit.exact && <Badge variant="success">exact</Badge>}
            {hit.status !== "active" && <StatusBadge status={hit.status} />}
          </div>
          {(hit.highlights.description ?? hit.description) && (
            <p className="mt-1 text-sm text-muted-foreground">
              <Highlight html={hit.highlights.description ?? null} />
              {!hit.highlights.description && hit.description}
            </p>
          )}
          <p className="mt-1 text-xs text-muted-foreground">
            {hit.kind === "field" ? "field" : "dataset"} · team {hit.team} · v{hit.version}
            {hit.tags.length > 0 && ` · ${hit.tags.join(", ")}`}
          </p>
        </li>
      ))}
    </ul>
  );
}
