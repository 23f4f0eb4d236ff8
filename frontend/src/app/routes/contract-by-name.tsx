import { FileQuestion } from "lucide-react";
import { Link, Navigate, useLocation, useParams } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { PageSkeleton } from "@/components/layout/page-skeleton";
import { QueryError } from "@/components/query-error";
import { Button } from "@/components/ui/button";
import { useContractByName } from "@/features/contracts/api/get-contract-by-name";
import { ApiError } from "@/lib/api-error";

/** /contracts/name/:name → /contracts/:id (the dictionary and the ERD know names, not ids). */
export default function ContractByNamePage() {
  const { name = "" } = useParams();
  const location = useLocation();
  const contract = useContractByName(name);
  if (contract.isPending) return <PageSkeleton />;
  if (contract.isError) {
    if (contract.error instanceof ApiError && contract.error.status === 404) {
      return (
        <EmptyState icon={FileQuestion} title={`No contract named “${name}”`} action={<Button asChild><Link to={`/contracts?q=${encodeURIComponent(name)}`}>Search the contracts</Link></Button>}>
          A foreign key may point at a dataset that has no contract yet.
        </EmptyState>
      );
    }
    return <QueryError error={contract.error} retry={() => void contract.refetch()} what="the contract" />;
  }
  return <Navigate replace to={`/contracts/${contract.data.id}${location.search}`} />;
}
