import { useMemo, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { toast } from "sonner";
import { PageHeader } from "@/components/page-header";
import { useCreateContract } from "@/features/contracts/api/create-contract";
import { ContractEditor } from "@/features/contracts/components/editor/contract-editor";
import { emptyDocument } from "@/features/contracts/lib/document-edit";
import { DraftFromSql } from "@/features/drafts/components/draft-from-sql";
import type { ContractDocument } from "@/types/api";

export default function NewContractPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const create = useCreateContract();
  const team = params.get("team");
  const [draft, setDraft] = useState<{ document: ContractDocument; name: string } | null>(null);
  const initial = useMemo(() => {
    const doc = emptyDocument();
    return team ? { ...doc, publisher: { ...doc.publisher, team } } : doc;
  }, [team]);
  return (
    <>
      <PageHeader title="New contract" description="Fill in the form or write YAML: both edit the same document. The registry checks it as you go once you first try to save." />
      <DraftFromSql team={team} onChoose={(document, name) => setDraft({ document, name })} />
      <ContractEditor
        key={draft?.name ?? "empty"}
        initial={draft?.document ?? initial}
        saving={create.isPending}
        onSave={async (document) => {
          const contract = await create.mutateAsync(document);
          toast.success(`Contract ${contract.name} created`, { description: `version ${contract.version}` });
          void navigate(`/contracts/${contract.id}`);
        }}
      />
    </>
  );
}
