import { QueryError } from "@/components/query-error";
import { Skeleton } from "@/components/ui/skeleton";
import type { Change, ContractDocument } from "@/types/api";
import { useContractVersion } from "../api/get-contract-version";
import { alignKeys } from "../lib/align";
import { toDocument, toYaml } from "../lib/yaml";
import { ChangeList } from "./change-list";
import { SideBySideDiff } from "./side-by-side-diff";

/** A document not yet published (a proposal's) beside the version it starts from. */
export function ProposedDiff({ contractId, baseVersion, document, changes }: { contractId: string; baseVersion: string; document: ContractDocument; changes: Change[] }) {
  const base = useContractVersion(contractId, baseVersion);
  return (
    <div className="space-y-4" data-testid="proposed-diff">
      <ChangeList changes={changes} />
      {base.isError ? (
        <QueryError error={base.error} retry={() => void base.refetch()} what={`version ${baseVersion}`} />
      ) : base.data ? (
        <SideBySideDiff
          before={toYaml(toDocument(base.data))}
          after={toYaml(alignKeys(toDocument(base.data), toDocument(document)))}
          leftTitle={`Version ${baseVersion} (current)`}
          rightTitle={`Proposed ${document.version}`}
        />
      ) : (
        <Skeleton className="h-64" />
      )}
    </div>
  );
}
