import { ArrowDown, ArrowUp, ArrowUpDown, Fingerprint } from "lucide-react";
import { Link } from "react-router";
import { StatusBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { timeAgo } from "@/lib/format";
import type { Contract, ContractSort, SortOrder } from "@/types/api";

function SortHeader({ label, sortKey, sort, order, onSort }: { label: string; sortKey: ContractSort; sort: ContractSort; order: SortOrder; onSort: (key: ContractSort) => void }) {
  const active = sort === sortKey;
  const Icon = active ? (order === "asc" ? ArrowUp : ArrowDown) : ArrowUpDown;
  return (
    <TableHead aria-sort={active ? (order === "asc" ? "ascending" : "descending") : "none"}>
      <button type="button" className="inline-flex items-center gap-1 uppercase hover:text-foreground" onClick={() => onSort(sortKey)}>
        {label}
        <Icon className={active ? "size-3.5 text-foreground" : "size-3.5 opacity-40"} aria-hidden />
      </button>
    </TableHead>
  );
}

export function ContractsTable({
  contracts,
  sort,
  order,
  onSort,
}: {
  contracts: Contract[];
  sort: ContractSort;
  order: SortOrder;
  onSort: (key: ContractSort) => void;
}) {
  const header = (label: string, key: ContractSort) => <SortHeader label={label} sortKey={key} sort={sort} order={order} onSort={onSort} />;
  return (
    <Table data-testid="contracts-table">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          {header("Name", "name")}
          {header("Team", "team")}
          {header("Status", "status")}
          {header("Version", "version")}
          {header("Compliance", "compliance")}
          {header("Fields", "fields")}
          <TableHead>Tags</TableHead>
          {header("Updated", "updated")}
        </TableRow>
      </TableHeader>
      <TableBody>
        {contracts.map((c) => {
          const pii = c.schema.filter((f) => f.is_pii).length;
          return (
            <TableRow key={c.id}>
              <TableCell className="max-w-sm">
                <Link to={`/contracts/${c.id}`} className="font-medium text-primary hover:underline">
                  {c.name}
                </Link>
                {c.description && <p className="line-clamp-1 text-xs text-muted-foreground">{c.description}</p>}
              </TableCell>
              <TableCell className="whitespace-nowrap">{c.publisher.team}</TableCell>
              <TableCell>
                <StatusBadge status={c.status ?? "active"} />
              </TableCell>
              <TableCell className="font-mono text-xs">{c.version}</TableCell>
              <TableCell>
                <StatusBadge status={c.compliance.status} />
              </TableCell>
              <TableCell className="tabular-nums">
                {c.schema.length}
                {pii > 0 && (
                  <span className="ml-2 inline-flex items-center gap-0.5 text-xs text-muted-foreground" title={`${pii} PII fields`}>
                    <Fingerprint className="size-3" aria-hidden />
                    {pii}
                  </span>
                )}
              </TableCell>
              <TableCell>
                <div className="flex max-w-48 flex-wrap gap-1">
                  {(c.tags ?? []).slice(0, 3).map((tag) => (
                    <Badge key={tag} variant="outline">
                      {tag}
                    </Badge>
                  ))}
                </div>
              </TableCell>
              <TableCell className="text-xs whitespace-nowrap text-muted-foreground">{timeAgo(c.updated_at)}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
