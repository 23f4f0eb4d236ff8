import { FilePlus2, RotateCcw, Upload } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ApiError, errorMessage } from "@/lib/api-error";
import { pluralize } from "@/lib/format";
import { readText } from "@/lib/read-text";
import { useCreateProposal } from "../api/create-proposal";

// The contract-service takes bodies up to 2 MiB (CONTRACT_MAX_BODY_BYTES).
const MAX_DOCUMENT_CHARS = 2_000_000;

interface Props {
  contractId: string;
  contractName: string;
  /** the current version as YAML: the starting point of the edit */
  currentYaml: string;
}

/** The server's refusal as it says it: its `detail`, then each located problem. */
function ServerError({ error }: { error: unknown }) {
  const issues = error instanceof ApiError ? error.errors : [];
  return (
    <div role="alert" data-testid="propose-error" className="space-y-1 rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm text-destructive">
      <p className="whitespace-pre-wrap">{errorMessage(error)}</p>
      {issues.length > 1 && (
        <ul className="list-disc pl-5">
          {issues.map((issue, i) => (
            <li key={i}>
              {issue.loc && <code className="font-mono">{issue.loc}</code>}
              {issue.loc && ": "}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ProposeForm({ contractId, currentYaml, onDone }: Omit<Props, "contractName"> & { onDone: () => void }) {
  const id = useId();
  const [text, setText] = useState(currentYaml);
  const [fileError, setFileError] = useState<string | null>(null);
  const propose = useCreateProposal(contractId);

  const load = async (file: File | undefined) => {
    if (!file) return;
    try {
      const content = await readText(file);
      if (content.length > MAX_DOCUMENT_CHARS) {
        setFileError(`${file.name} has ${content.length.toLocaleString()} characters; the service takes at most 2 MiB`);
        return;
      }
      setFileError(null);
      setText(content);
      propose.reset();
    } catch {
      setFileError(`${file.name} could not be read as text`);
    }
  };

  return (
    <form
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        propose.mutate(text, {
          onSuccess: (proposal) => {
            toast.success(`${proposal.contract_name} ${proposal.proposed_version} proposed`, {
              description: proposal.affected_teams.length ? `${pluralize(proposal.affected_teams.length, "team")} asked: ${proposal.affected_teams.join(", ")}` : undefined,
            });
            onDone();
          },
        });
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1 space-y-1.5">
          <Label htmlFor={`${id}-file`}>
            <Upload className="size-3.5" aria-hidden /> Load a YAML or JSON file
          </Label>
          <Input id={`${id}-file`} type="file" accept=".yaml,.yml,.json,application/yaml,application/json,text/plain" onChange={(e) => void load(e.target.files?.[0])} />
        </div>
        <Button
          type="button"
          variant="ghost"
          disabled={text === currentYaml}
          onClick={() => {
            setText(currentYaml);
            propose.reset();
          }}
        >
          <RotateCcw /> Back to the current version
        </Button>
      </div>
      {fileError && <p className="text-sm text-destructive">{fileError}</p>}
      <div className="space-y-1.5">
        <Label htmlFor={`${id}-document`}>Proposed document</Label>
        <Textarea
          id={`${id}-document`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          className="h-96 font-mono text-xs"
          aria-invalid={propose.isError || undefined}
        />
      </div>
      {propose.isError && <ServerError error={propose.error} />}
      <DialogFooter>
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={propose.isPending || !text.trim()}>
          Propose
        </Button>
      </DialogFooter>
    </form>
  );
}

/** "Propose a change": the current version's YAML to edit (or a file), sent as a proposal. */
export function ProposeChange(props: Props) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <FilePlus2 /> Propose a change
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle>Propose a change to {props.contractName}</DialogTitle>
          <DialogDescription>
            Edit the current version or load a file, with the version bump the change needs. The affected teams (by their fields_used) are asked once; an open proposal is superseded.
            Nothing is published until the change policy holds.
          </DialogDescription>
        </DialogHeader>
        {/* mounted while open: each opening starts from the current version */}
        <ProposeForm {...props} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
