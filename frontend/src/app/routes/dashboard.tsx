import { PageHeader } from "@/components/page-header";
import { TrendCard } from "@/features/compliance/components/trend-card";
import { ComplianceNow } from "@/features/dashboard/components/compliance-now";
import { ContractStats } from "@/features/dashboard/components/contract-stats";
import { FailingContracts } from "@/features/dashboard/components/failing-contracts";
import { LatestNotifications } from "@/features/dashboard/components/latest-notifications";

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
