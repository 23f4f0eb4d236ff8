import { FilePlus2, FileSearch } from "lucide-react";
import { useMemo } from "react";
import { Link } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { FilterSelect } from "@/components/filter-select";
import { TableSkeleton } from "@/components/layout/page-skeleton";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { QueryError } from "@/components/query-error";
import { SearchInput } from "@/components/search-input";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useContracts } from "@/features/contracts/api/get-contracts";
import { ContractsTable } from "@/features/contracts/components/contracts-table";
import { isSortKey, sortContracts, type SortKey } from "@/features/contracts/lib/sort";
import { useDatasetFacets } from "@/features/dictionary/api/get-dataset-facets";
import { useUrlState } from "@/lib/use-url-state";
import { CONTRACT_STATUSES, type ContractStatus } from "@/types/api";

const PAGE_SIZE = 20;
// Filters run on the server; up to this many matches are sorted and paged in the browser
// (the list API orders by name only). Beyond it, pages come from the server in name order.
const CLIENT_SORT_LIMIT = 500;

export default function ContractsPage() {
  const url = useUrlState();
  const q = url.get("q") ?? "";
  const status = url.get("status") as ContractStatus | undefined;
  const team = url.get("team");
  const tag = url.get("tag");
  const sortParam = url.get("sort");
  const sort: SortKey = isSortKey(sortParam) ? sortParam : "name";
  const order = url.get("order") === "desc" ? "desc" : "asc";
  const page = url.getNumber("page", 1);
  const filters = { q: q || undefined, status, team, tag };

  const full = useContracts({ ...filters, skip: 0, limit: CLIENT_SORT_LIMIT });
  const tooMany = (full.data?.total ?? 0) > CLIENT_SORT_LIMIT;
  const paged = useContracts({ ...filters, skip: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }, { enabled: tooMany });
  const active = tooMany ? paged : full;
  const options = useDatasetFacets();

  const rows = useMemo(() => {
    if (!full.data || tooMany) return paged.data?.contracts ?? [];
    const sorted = sortContracts(full.data.contracts, sort, order);
    return sorted.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  }, [full.data, paged.data, tooMany, sort, order, page]);

  const onSort = (key: SortKey) => {
    const nextOrder = sort === key && order === "asc" ? "desc" : "asc";
    url.set({ sort: key === "name" ? undefined : key, order: nextOrder === "desc" ? "desc" : undefined });
  };
  const filtered = Boolean(q || status || team || tag);

  return (
    <>
      <PageHeader
        title="Contracts"
        description="Every data contract in the registry. Filters, sorting and the page are kept in the address."
        actions={
          <Button asChild>
            <Link to="/contracts/new">
              <FilePlus2 /> New contract
            </Link>
          </Button>
        }
      />
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <SearchInput className="w-full sm:w-72" label="Search contracts" placeholder="Search name, description, fields…" value={q} onChange={(v) => url.set({ q: v }, { replace: true })} />
        <FilterSelect label="Status" value={status} options={CONTRACT_STATUSES.map((s) => ({ value: s }))} onChange={(v) => url.set({ status: v })} />
        <FilterSelect label="Team" value={team} options={options.teams} onChange={(v) => url.set({ team: v })} className="w-44" />
        <FilterSelect label="Tag" value={tag} options={options.tags} onChange={(v) => url.set({ tag: v })} className="w-40" />
        {filtered && (
          <Button variant="ghost" size="sm" onClick={() => url.set({ q: undefined, status: undefined, team: undefined, tag: undefined })}>
            Clear filters
          </Button>
        )}
      </div>
      <Card className="p-2">
        {active.isPending ? (
          <TableSkeleton rows={8} />
        ) : active.isError ? (
          <QueryError error={active.error} retry={() => void active.refetch()} what="the contracts" />
        ) : active.data.total === 0 ? (
          filtered ? (
            <EmptyState icon={FileSearch} title="No contract matches these filters" action={<Button variant="outline" onClick={() => url.set({ q: undefined, status: undefined, team: undefined, tag: undefined })}>Clear filters</Button>}>
              Try fewer words or another status, team or tag.
            </EmptyState>
          ) : (
            <EmptyState icon={FilePlus2} title="No contracts yet" action={<Button asChild><Link to="/contracts/new">Create the first contract</Link></Button>}>
              Write one in the form or paste YAML, or push one with the CLI (<code>datapact push</code>).
            </EmptyState>
          )
        ) : (
          <div className="px-2 pb-2">
            <ContractsTable contracts={rows} sort={sort} order={order} onSort={onSort} sortable={!tooMany} />
            {tooMany && <p className="pt-2 text-xs text-muted-foreground">More than {CLIENT_SORT_LIMIT} matches: shown by name. Narrow the filters to sort by other columns.</p>}
            <Pagination page={page} pageSize={PAGE_SIZE} total={active.data.total} onPageChange={(p) => url.set({ page: p > 1 ? p : undefined })} />
          </div>
        )}
      </Card>
    </>
  );
}
