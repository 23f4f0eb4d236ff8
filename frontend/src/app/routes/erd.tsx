import { Network } from "lucide-react";
import { lazy, Suspense } from "react";
import { Link } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { FilterSelect } from "@/components/filter-select";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useDatasetFacets } from "@/features/dictionary/api/get-dataset-facets";
import { useErd, type ErdParams } from "@/features/erd/api/get-erd";
import { MermaidView } from "@/features/erd/components/mermaid-view";
import { useUrlState } from "@/lib/use-url-state";

const ErdGraphView = lazy(() => import("@/features/erd/components/erd-graph"));

function Legend() {
  return (
    <ul className="flex flex-wrap gap-x-5 gap-y-1 text-xs text-muted-foreground">
      <li className="flex items-center gap-1.5">
        <span className="inline-block h-0.5 w-6 bg-chart-1" /> foreign key
      </li>
      <li className="flex items-center gap-1.5">
        <span className="inline-block w-6 border-t-2 border-dashed border-chart-3" /> subscription (team reads dataset)
      </li>
      <li>Click a dataset to open its contract.</li>
    </ul>
  );
}

function GraphView({ params, subscriptions }: { params: ErdParams; subscriptions: boolean }) {
  const erd = useErd(params);
  if (erd.isPending) return <Skeleton className="h-[calc(100vh-15rem)] min-h-[28rem]" />;
  if (erd.isError) return <QueryError error={erd.error} retry={() => void erd.refetch()} what="the ERD" />;
  if (erd.data.nodes.length === 0) {
    return (
      <EmptyState icon={Network} title={params.team ? `No datasets for team ${params.team}` : "No datasets yet"} action={<Button asChild><Link to="/contracts/new">Create a contract</Link></Button>}>
        Datasets appear here once they have contracts; foreign keys between them become edges.
      </EmptyState>
    );
  }
  const shown = erd.data.nodes.filter((n) => n.type === "dataset" && !n.data.missing).length;
  return (
    <>
      {erd.data.truncated && (
        <p role="status" className="rounded-md border border-chart-4/40 bg-chart-4/10 px-3 py-2 text-sm" data-testid="erd-truncated">
          Showing {shown} of {erd.data.total_datasets} datasets, the first by name: one diagram draws only so many. Pick a team above to see its datasets.
        </p>
      )}
      <Suspense fallback={<Skeleton className="h-[calc(100vh-15rem)] min-h-[28rem]" />}>
        <ErdGraphView graph={erd.data} subscriptions={subscriptions} />
      </Suspense>
    </>
  );
}

export default function ErdPage() {
  const url = useUrlState();
  const team = url.get("team");
  const view = url.get("view") === "mermaid" ? "mermaid" : "graph";
  const subscriptions = url.get("subs") !== "0";
  const options = useDatasetFacets();
  const params: ErdParams = { team };
  return (
    <>
      <PageHeader title="Entity relationships" description="Datasets with their fields, the foreign keys between them and the teams that read them." />
      <div className="mb-4 flex flex-wrap items-center gap-4">
        <Tabs value={view} onValueChange={(v) => url.set({ view: v === "mermaid" ? "mermaid" : undefined })}>
          <TabsList aria-label="View">
            <TabsTrigger value="graph">Graph</TabsTrigger>
            <TabsTrigger value="mermaid">Mermaid</TabsTrigger>
          </TabsList>
        </Tabs>
        <FilterSelect label="Team" value={team} options={options.teams} onChange={(v) => url.set({ team: v })} className="w-48" />
        {view === "graph" && (
          <div className="flex items-center gap-2">
            <Switch id="erd-subs" checked={subscriptions} onCheckedChange={(v) => url.set({ subs: v ? undefined : "0" })} />
            <Label htmlFor="erd-subs">Subscriptions</Label>
          </div>
        )}
      </div>
      {view === "graph" ? (
        <div className="space-y-2">
          <Legend />
          <GraphView params={params} subscriptions={subscriptions} />
        </div>
      ) : (
        <MermaidView params={params} />
      )}
    </>
  );
}
