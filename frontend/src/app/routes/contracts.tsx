import { FilePlus2, FileSearch } from "lucide-react";
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
import { isContractSort } from "@/features/contracts/lib/sort";
import { useDatasetFacets } from "@/features/dictionary/api/get-dataset-facets";
import { useUrlState } from "@/lib/use-url-state";
import { CONTRACT_STATUSES, type ContractSort, type ContractStatus, type SortOrder } from "@/types/api";

const PAGE_SIZE = 20;

export default function ContractsPage() {
  const url = useUrlState();
  const q = url.get("q") ?? "";
  const status = url.get("status") as ContractStatus | undefined;
  const team = url.get("team");
  const tag = url.get("tag");
  const sortParam = url.get("sort");
  const sort: ContractSort = isContractSort(sortParam) ? sortParam : "name";
  const order: SortOrder = url.get("order") === "desc" ? "desc" : "asc";
  const page = url.getNumber("page", 1);
  const filters = { q: q || undefined, status, team, tag };

  // filtering, sorting and paging all run on the server: one page of rows per request
  const contracts = useContracts({ ...filters, sort, order, skip: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  const options = useDatasetFacets();

  const onSort = (key: ContractSort) => {
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
        {contracts.isPending ? (
          <TableSkeleton rows={8} />
        ) : contracts.isError ? (
          <QueryError error={contracts.error} retry={() => void contracts.refetch()} what="the contracts" />
        ) : contracts.data.total === 0 ? (
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
            <ContractsTable contracts={contracts.data.contracts} sort={sort} order={order} onSort={onSort} />
            <Pagination page={page} pageSize={PAGE_SIZE} total={contracts.data.total} onPageChange={(p) => url.set({ page: p > 1 ? p : undefined })} />
          </div>
        )}
      </Card>
    </>
  );
}
