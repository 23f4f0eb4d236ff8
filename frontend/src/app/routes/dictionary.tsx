import { BookOpen, SearchX } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { TableSkeleton } from "@/components/layout/page-skeleton";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { QueryError } from "@/components/query-error";
import { SearchInput } from "@/components/search-input";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { useDictionarySearch, type DictionarySearchParams } from "@/features/dictionary/api/search-dictionary";
import { FacetGroup } from "@/features/dictionary/components/facet-group";
import { SearchResults } from "@/features/dictionary/components/search-results";
import { useUrlState } from "@/lib/use-url-state";
import type { ContractStatus, DataType, HitKind } from "@/types/api";

const PAGE_SIZE = 20;
const FILTERS = ["kind", "type", "pii", "team", "tag", "status"] as const;

export default function DictionaryPage() {
  const url = useUrlState();
  const q = url.get("q") ?? "";
  const page = url.getNumber("page", 1);
  const pii = url.get("pii");
  const params: DictionarySearchParams = {
    q: q || undefined,
    kind: url.get("kind") as HitKind | undefined,
    data_type: url.get("type") as DataType | undefined,
    is_pii: pii === "true" ? true : pii === "false" ? false : undefined,
    team: url.get("team"),
    tag: url.get("tag"),
    status: url.get("status") as ContractStatus | undefined,
    skip: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
  const search = useDictionarySearch(params);
  const facets = search.data?.facets;
  const anyFilter = FILTERS.some((f) => url.get(f) !== undefined);
  const clear = () => url.set(Object.fromEntries(FILTERS.map((f) => [f, undefined])));

  return (
    <>
      <PageHeader title="Data dictionary" description="Every dataset and field under contract. Search forgives typos; filters narrow by type, PII, team and tag." />
      <SearchInput className="mb-6 max-w-2xl" label="Search the dictionary" placeholder="Search fields and datasets, e.g. customer email" value={q} onChange={(v) => url.set({ q: v }, { replace: true })} autoFocus />
      <div className="grid gap-6 md:grid-cols-[14rem_minmax(0,1fr)]">
        <aside aria-label="Filters" className="space-y-5">
          {facets ? (
            <>
              <FacetGroup title="Kind" counts={facets.kind} selected={url.get("kind")} onSelect={(v) => url.set({ kind: v })} label={(v) => (v === "field" ? "Fields" : "Datasets")} />
              <FacetGroup title="PII" counts={facets.is_pii} selected={pii} onSelect={(v) => url.set({ pii: v })} label={(v) => (v === "true" ? "PII" : "Not PII")} />
              <FacetGroup title="Type" counts={facets.data_type} selected={url.get("type")} onSelect={(v) => url.set({ type: v })} />
              <FacetGroup title="Team" counts={facets.team} selected={url.get("team")} onSelect={(v) => url.set({ team: v })} />
              <FacetGroup title="Tag" counts={facets.tag} selected={url.get("tag")} onSelect={(v) => url.set({ tag: v })} />
              <FacetGroup title="Status" counts={facets.status} selected={url.get("status")} onSelect={(v) => url.set({ status: v })} />
              {anyFilter && (
                <Button variant="ghost" size="sm" onClick={clear}>
                  Clear filters
                </Button>
              )}
            </>
          ) : (
            !search.isError && <TableSkeleton rows={6} />
          )}
        </aside>
        <section aria-label="Results" className="min-w-0">
          {search.isPending ? (
            <TableSkeleton rows={6} />
          ) : search.isError ? (
            <QueryError error={search.error} retry={() => void search.refetch()} what="search results" />
          ) : search.data.total === 0 ? (
            q || anyFilter ? (
              <EmptyState icon={SearchX} title={`Nothing found${q ? ` for “${q}”` : ""}`} action={anyFilter ? <Button variant="outline" onClick={clear}>Clear filters</Button> : undefined}>
                Try another word or fewer filters. Search matches field and dataset names and descriptions.
              </EmptyState>
            ) : (
              <Card>
                <CardContent>
                  <EmptyState icon={BookOpen} title="The dictionary is empty">
                    It fills itself from the contract registry within seconds of a contract being saved.
                  </EmptyState>
                </CardContent>
              </Card>
            )
          ) : (
            <>
              <p className="mb-2 text-sm text-muted-foreground" aria-live="polite">
                {search.data.total} result{search.data.total === 1 ? "" : "s"}
                {search.data.query ? ` for “${search.data.query}”` : ""}
                {search.isPlaceholderData && " · searching…"}
              </p>
              <SearchResults hits={search.data.results} />
              <Pagination page={page} pageSize={PAGE_SIZE} total={search.data.total} onPageChange={(p) => url.set({ page: p > 1 ? p : undefined })} />
            </>
          )}
        </section>
      </div>
    </>
  );
}
