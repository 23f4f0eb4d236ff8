import { History } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { QueryError } from "@/components/query-error";
import { StatusBadge } from "@/components/status-badge";
import { TableSkeleton } from "@/components/layout/page-skeleton";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime, pluralize } from "@/lib/format";
import { useUrlState } from "@/lib/use-url-state";
import { cn } from "@/lib/utils";
import type { VersionEntry } from "@/types/api";
import { useContractVersion } from "../api/get-contract-version";
import { useContractVersions } from "../api/get-contract-versions";
import { useVersionDiff } from "../api/get-version-diff";
import { toDocument, toYaml } from "../lib/yaml";
import { ChangeList, severityCounts } from "./change-list";
import { SideBySideDiff } from "./side-by-side-diff";

function VersionPicker({ label, value, versions, onChange }: { label: string; value: string | undefined; versions: VersionEntry[]; onChange: (v: string) => void }) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-muted-foreground">{label}</span>
      <Select value={value} onValueChange={onChange}>
        <SelectTrigger className="w-32" aria-label={`${label} version`}>
          <SelectValue placeholder="version" />
        </SelectTrigger>
        <SelectContent>
          {versions.map((v) => (
            <SelectItem key={v.version} value={v.version}>
              {v.version}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </label>
  );
}

function VersionComparison({ contractId, from, to }: { contractId: string; from: string; to: string }) {
  const diff = useVersionDiff(contractId, from, to);
  const left = useContractVersion(contractId, from);
  const right = useContractVersion(contractId, to);
  const bump = diff.data?.required_bump;
  return (
    <div className="space-y-4">
      {diff.isError ? (
        <QueryError error={diff.error} retry={() => void diff.refetch()} what="the comparison" />
      ) : diff.isPending ? (
        <Skeleton className="h-24" />
      ) : (
        <div className="space-y-2">
          <p className="flex flex-wrap items-center gap-2 text-sm">
            {pluralize(diff.data.changes.length, "change")} from {from} to {to}; needs at least a
            <StatusBadge status={bump} label={`${bump} bump`} />
            {!diff.data.bump_ok && diff.data.violation && <span className="text-destructive">{diff.data.violation}</span>}
          </p>
          <ChangeList changes={diff.data.changes} />
        </div>
      )}
      {left.isError || right.isError ? (
        <QueryError error={left.error ?? right.error} what="a version" />
      ) : left.data && right.data ? (
        <SideBySideDiff before={toYaml(toDocument(left.data))} after={toYaml(toDocument(right.data))} leftTitle={`Version ${from}`} rightTitle={`Version ${to}`} />
      ) : (
        <Skeleton className="h-64" />
      )}
    </div>
  );
}

export function VersionsTab({ contractId }: { contractId: string }) {
  const url = useUrlState();
  const versions = useContractVersions(contractId);
  if (versions.isPending) return <TableSkeleton rows={4} />;
  if (versions.isError) return <QueryError error={versions.error} retry={() => void versions.refetch()} what="the versions" />;
  const list = [...versions.data.versions].sort((a, b) => b.created_at.localeCompare(a.created_at));
  if (list.length === 0) return <EmptyState icon={History} title="No versions recorded" />;
  const from = url.get("from") ?? list[1]?.version;
  const to = url.get("to") ?? list[0]?.version;
  const compare = (f: string, t: string) => url.set({ from: f, to: t }, { keepPage: true });

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <CardTitle>Compare versions</CardTitle>
          <CardDescription>Pick any two versions; changes are classified from the subscribers’ point of view.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {list.length < 2 ? (
            <p className="text-sm text-muted-foreground">Only one version so far. Each saved edit adds a version you can compare here.</p>
          ) : (
            <>
              <div className="flex flex-wrap items-center gap-4">
                <VersionPicker label="From" value={from} versions={list} onChange={(v) => compare(v, to ?? v)} />
                <VersionPicker label="To" value={to} versions={list} onChange={(v) => compare(from ?? v, v)} />
              </div>
              {from && to && from !== to ? <VersionComparison contractId={contractId} from={from} to={to} /> : <p className="text-sm text-muted-foreground">Pick two different versions.</p>}
            </>
          )}
        </CardContent>
      </Card>
      <Card className="p-2">
        <Table data-testid="versions-table">
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead>Version</TableHead>
              <TableHead>When</TableHead>
              <TableHead>By</TableHead>
              <TableHead>Summary</TableHead>
              <TableHead>Changes</TableHead>
              <TableHead />
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.map((v, i) => {
              const counts = severityCounts(v.changes ?? []);
              const previous = list[i + 1];
              const selected = v.version === to && previous?.version === from;
              return (
                <TableRow key={v.version} className={cn(selected && "bg-accent/50")}>
                  <TableCell className="font-mono font-medium">{v.version}</TableCell>
                  <TableCell className="text-sm whitespace-nowrap">{formatDateTime(v.created_at)}</TableCell>
                  <TableCell className="text-sm">{v.changed_by ?? "—"}</TableCell>
                  <TableCell className="max-w-md text-sm">{v.change_summary ?? "—"}</TableCell>
                  <TableCell>
                    <div className="flex gap-1">
                      {(["breaking", "warning", "info"] as const).map((s) => (counts[s] ? <StatusBadge key={s} status={s} label={`${counts[s]} ${s}`} /> : null))}
                    </div>
                  </TableCell>
                  <TableCell>
                    {previous && (
                      <Button variant="ghost" size="sm" onClick={() => compare(previous.version, v.version)}>
                        Diff with {previous.version}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Card>
    </div>
  );
}
