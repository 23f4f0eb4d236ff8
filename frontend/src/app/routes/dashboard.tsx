import { PageHeader } from "@/components/page-header";
import { ComplianceNow } from "@/features/compliance/components/compliance-now";
import { FailingContracts } from "@/features/compliance/components/failing-contracts";
import { TrendCard } from "@/features/compliance/components/trend-card";
import { ContractStats } from "@/features/contracts/components/contract-stats";
import { LatestNotifications } from "@/features/notifications/components/latest-notifications";

export default function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard" description="Your data contracts at a glance. Compliance refreshes every 30 seconds." />
      <div className="space-y-6">
        <ContractStats />
        <div className="grid gap-6 lg:grid-cols-3">
          <ComplianceNow />
          <div className="lg:col-span-2">
            <TrendCard />
          </div>
        </div>
        <div className="grid gap-6 lg:grid-cols-2">
          <FailingContracts />
          <LatestNotifications />
        </div>
      </div>
    </>
  );
}
