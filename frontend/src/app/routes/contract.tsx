import { useQueryClient } from "@tanstack/react-query";
import { FileQuestion, Pencil } from "lucide-react";
import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { PageSkeleton } from "@/components/layout/page-skeleton";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { StatusBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { COMPLIANCE_REFRESH_MS } from "@/features/compliance/api/keys";
import { ContractCompliance } from "@/features/compliance/components/contract-compliance";
import { useContract } from "@/features/contracts/api/get-contract";
import { contractKeys } from "@/features/contracts/api/keys";
import { AccessTab } from "@/features/contracts/components/access-tab";
import { DeprecateDialog } from "@/features/contracts/components/deprecate-dialog";
import { ProposedDiff } from "@/features/contracts/components/proposed-diff";
import { OverviewTab } from "@/features/contracts/components/overview-tab";
import { QualityTab } from "@/features/contracts/components/quality-tab";
import { SchemaTab } from "@/features/contracts/components/schema-tab";
import { SubscribersTab } from "@/features/contracts/components/subscribers-tab";
import { VersionsTab } from "@/features/contracts/components/versions-tab";
import { YamlTab } from "@/features/contracts/components/yaml-tab";
import { toDocument, toYaml } from "@/features/contracts/lib/yaml";
import { ContractProposals } from "@/features/proposals/components/contract-proposals";
import { DeprecatedFields } from "@/features/proposals/components/deprecated-fields";
import { ApiError } from "@/lib/api-error";
import { useUrlState } from "@/lib/use-url-state";

const TABS = ["overview", "schema", "quality", "access", "subscribers", "versions", "proposals", "compliance", "yaml"] as const;
type Tab = (typeof TABS)[number];
const LABELS: Record<Tab, string> = {
  overview: "Overview",
  schema: "Schema",
  quality: "Quality SLAs",
  access: "Access",
  subscribers: "Subscribers",
  versions: "Versions",
  proposals: "Proposals",
  compliance: "Compliance",
  yaml: "YAML",
};

export default function ContractPage() {
  const { id = "" } = useParams();
  const url = useUrlState();
  const tabParam = url.get("tab");
  const tab: Tab = (TABS as readonly string[]).includes(tabParam ?? "") ? (tabParam as Tab) : "overview";
  const contract = useContract(id, { refetchInterval: tab === "compliance" ? COMPLIANCE_REFRESH_MS : undefined });
  const queryClient = useQueryClient();
  const currentYaml = useMemo(() => (contract.data ? toYaml(toDocument(contract.data)) : ""), [contract.data]);

  if (contract.isPending) return <PageSkeleton />;
  if (contract.isError) {
    if (contract.error instanceof ApiError && (contract.error.status === 404 || contract.error.status === 422)) {
      return (
        <EmptyState icon={FileQuestion} title="No such contract" action={<Button asChild><Link to="/contracts">Browse contracts</Link></Button>}>
          It may have been renamed; search for it in the contracts list.
        </EmptyState>
      );
    }
    return <QueryError error={contract.error} retry={() => void contract.refetch()} what="the contract" />;
  }
  const c = contract.data;
  const counts: Partial<Record<Tab, number>> = { schema: c.schema.length, quality: c.quality?.length ?? 0, subscribers: c.subscribers?.length ?? 0 };

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {c.name}
            <Badge variant="outline" className="font-mono text-sm">
              v{c.version}
            </Badge>
            <StatusBadge status={c.status ?? "active"} />
          </span>
        }
        description={
          <>
            Published by <Link className="font-medium text-foreground hover:underline" to={`/contracts?team=${encodeURIComponent(c.publisher.team)}`}>{c.publisher.team}</Link> · compliance{" "}
            <StatusBadge status={c.compliance.status} />
          </>
        }
        actions={
          <>
            <Button asChild>
              <Link to={`/contracts/${c.id}/edit`}>
                <Pencil /> Edit
              </Link>
            </Button>
            {c.status !== "deprecated" && <DeprecateDialog contract={c} />}
          </>
        }
      />
      <Tabs value={tab} onValueChange={(value) => url.set({ tab: value === "overview" ? undefined : value, from: undefined, to: undefined, check: undefined, result: undefined, hpage: undefined })}>
        <TabsList aria-label="Contract sections">
          {TABS.map((t) => (
            <TabsTrigger key={t} value={t}>
              {LABELS[t]}
              {counts[t] !== undefined && <span className="text-xs text-muted-foreground tabular-nums">{counts[t]}</span>}
            </TabsTrigger>
          ))}
        </TabsList>
        <TabsContent value="overview">
          <OverviewTab contract={c} />
        </TabsContent>
        <TabsContent value="schema">
          <SchemaTab fields={c.schema} />
        </TabsContent>
        <TabsContent value="quality">
          <QualityTab contract={c} />
        </TabsContent>
        <TabsContent value="access">
          <AccessTab access={c.access} />
        </TabsContent>
        <TabsContent value="subscribers">
          <SubscribersTab subscribers={c.subscribers ?? []} />
        </TabsContent>
        <TabsContent value="versions">
          <VersionsTab contractId={c.id} />
        </TabsContent>
        <TabsContent value="proposals" className="space-y-6">
          <ContractProposals
            contractId={c.id}
            contractName={c.name}
            publisherTeam={c.publisher.team}
            currentYaml={currentYaml}
            onPublished={() => queryClient.invalidateQueries({ queryKey: contractKeys.detail(c.id) })}
            renderDiff={(p) => <ProposedDiff contractId={c.id} baseVersion={p.base_version} document={p.document} changes={p.changes} />}
          />
          <DeprecatedFields contractId={c.id} />
        </TabsContent>
        <TabsContent value="compliance">
          <ContractCompliance contract={c} onChecked={() => contract.refetch()} />
        </TabsContent>
        <TabsContent value="yaml">
          <YamlTab contract={c} />
        </TabsContent>
      </Tabs>
    </>
  );
}
