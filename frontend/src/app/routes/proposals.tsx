import { PageHeader } from "@/components/page-header";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ProposalList, type ProposalView } from "@/features/proposals/components/proposal-list";
import { useUrlState } from "@/lib/use-url-state";

const VIEWS: { value: ProposalView; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "mine", label: "Mine to answer" },
  { value: "history", label: "History" },
];

export default function ProposalsPage() {
  const url = useUrlState();
  const param = url.get("tab");
  const view: ProposalView = VIEWS.some((v) => v.value === param) ? (param as ProposalView) : "open";
  return (
    <>
      <PageHeader
        title="Change proposals"
        description="Breaking versions proposed to the teams they break: each affected team approves or objects before the version is published."
      />
      <Tabs value={view} onValueChange={(value) => url.set({ tab: value === "open" ? undefined : value })}>
        <TabsList aria-label="Proposals">
          {VIEWS.map((v) => (
            <TabsTrigger key={v.value} value={v.value}>
              {v.label}
            </TabsTrigger>
          ))}
        </TabsList>
        {VIEWS.map((v) => (
          <TabsContent key={v.value} value={v.value}>
            {view === v.value && <ProposalList view={v.value} />}
          </TabsContent>
        ))}
      </Tabs>
    </>
  );
}
