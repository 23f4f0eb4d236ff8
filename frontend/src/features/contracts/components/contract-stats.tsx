import { FileText, Fingerprint, Layers, Users } from "lucide-react";
import { QueryError } from "@/components/query-error";
import { StatCard } from "@/components/stat-card";
import { pluralize } from "@/lib/format";
import type { Contract } from "@/types/api";
import { useAllContracts } from "../api/get-all-contracts";

export interface ContractCounts {
  contracts: number;
  byStatus: Record<string, number>;
  fields: number;
  piiFields: number;
  teams: number;
  subscribers: number;
}

export function countContracts(contracts: Contract[]): ContractCounts {
  const byStatus: Record<string, number> = {};
  const teams = new Set<string>();
  let fields = 0;
  let piiFields = 0;
  let subscribers = 0;
  for (const c of contracts) {
    const status = c.status ?? "active";
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    teams.add(c.publisher.team);
    fields += c.schema.length;
    piiFields += c.schema.filter((f) => f.is_pii).length;
    subscribers += c.subscribers?.length ?? 0;
  }
  return { contracts: contracts.length, byStatus, fields, piiFields, teams: teams.size, subscribers };
}

export function ContractStats() {
  const all = useAllContracts();
  if (all.isError) return <QueryError error={all.error} retry={() => void all.refetch()} what="the contracts" />;
  const counts = all.data ? countContracts(all.data) : null;
  const loading = counts === null;
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <StatCard
        label="Contracts"
        icon={FileText}
        loading={loading}
        value={counts?.contracts}
        hint={counts && `${counts.byStatus.active ?? 0} active · ${counts.byStatus.draft ?? 0} draft · ${counts.byStatus.deprecated ?? 0} deprecated`}
      />
      <StatCard label="Fields" icon={Layers} loading={loading} value={counts?.fields} hint={counts && `across ${pluralize(counts.contracts, "dataset")}`} />
      <StatCard label="PII fields" icon={Fingerprint} loading={loading} value={counts?.piiFields} hint="personal data under contract" />
      <StatCard label="Teams" icon={Users} loading={loading} value={counts?.teams} hint={counts && `${pluralize(counts.subscribers, "subscription")} to datasets`} />
    </div>
  );
}
