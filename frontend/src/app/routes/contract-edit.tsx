import { Link, useNavigate, useParams } from "react-router";
import { toast } from "sonner";
import { PageSkeleton } from "@/components/layout/page-skeleton";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { useContract } from "@/features/contracts/api/get-contract";
import { useUpdateContract } from "@/features/contracts/api/update-contract";
import { ContractEditor } from "@/features/contracts/components/editor/contract-editor";
import { toDocument } from "@/features/contracts/lib/yaml";

export default function EditContractPage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const contract = useContract(id);
  const update = useUpdateContract(id);
  // The editor reads `initial` once per id@version (its key): a refetch does not reset the edits.
  const initial = contract.data ? toDocument(contract.data) : null;

  if (contract.isPending) return <PageSkeleton />;
  if (contract.isError || !initial) return <QueryError error={contract.error} retry={() => void contract.refetch()} what="the contract" />;
  return (
    <>
      <PageHeader
        title={
          <>
            Edit <Link to={`/contracts/${id}`} className="hover:underline">{contract.data.name}</Link>
          </>
        }
        description="The registry classifies your change as you type and tells you the version bump it needs before you save."
      />
      <ContractEditor
        key={`${contract.data.id}@${contract.data.version}`}
        initial={initial}
        contractId={id}
        savedVersion={contract.data.version}
        saving={update.isPending}
        onSave={async (document) => {
          const saved = await update.mutateAsync(document);
          toast.success(`${saved.name} saved`, { description: `version ${saved.version}` });
          void navigate(`/contracts/${id}?tab=versions`);
        }}
      />
    </>
  );
}
