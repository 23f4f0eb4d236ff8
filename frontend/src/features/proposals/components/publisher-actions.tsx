import { ShieldAlert, Undo2, Upload } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import { StatusBadge } from "@/components/status-badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { Contract, Proposal, PublishRefusal } from "@/types/api";
import { usePublishProposal } from "../api/publish-proposal";
import { useWithdrawProposal } from "../api/withdraw-proposal";
import { publishRefusal } from "../lib/publishing";
import { VerdictSummary } from "./verdict-summary";

function Teams({ label, teams, status }: { label: string; teams: string[] | undefined; status: string }) {
  if (!teams?.length) return null;
  return (
    <div className="flex flex-wrap items-center gap-1" data-testid={`refused-${status}`}>
      <span className="font-medium">{label}:</span>
      {teams.map((team) => (
        <StatusBadge key={team} status={status} label={team} />
      ))}
    </div>
  );
}

/** Why the publish was refused, in the server's words, and who the policy still waits for. */
function Refusal({ refusal }: { refusal: PublishRefusal }) {
  return (
    <div role="alert" data-testid="publish-refused" className="space-y-2 rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm">
      <p className="font-medium text-destructive">Not published</p>
      <p className="whitespace-pre-wrap">{refusal.detail}</p>
      <Teams label="Pending" teams={refusal.pending} status="pending" />
      <Teams label="Objecting" teams={refusal.objected} status="objected" />
    </div>
  );
}

function OverrideDialog({ proposal, busy, onConfirm }: { proposal: Proposal; busy: boolean; onConfirm: (reason: string, close: () => void) => void }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" className="text-destructive">
          <ShieldAlert /> Publish over the policy…
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            Publish {proposal.contract_name} {proposal.proposed_version} over its change policy?
          </DialogTitle>
          <DialogDescription>
            The policy does not hold: <VerdictSummary summary={proposal.verdict.summary} />. An admin may publish anyway. The override is recorded on the proposal with your name and
            this reason, and announced to every subscriber with the new version (“published over the change policy by …”).
          </DialogDescription>
        </DialogHeader>
        <div className="space-y-2">
          <Label htmlFor={`${id}-reason`}>Reason (required, recorded and sent to the teams)</Label>
          <Textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
        </div>
        <DialogFooter>
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant="destructive" disabled={busy || !reason.trim()} onClick={() => onConfirm(reason.trim(), () => setOpen(false))}>
            Publish over the policy
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

interface Props {
  proposal: Proposal;
  /** an admin token: may publish over the policy */
  admin: boolean;
  onPublished?: (contract: Contract) => unknown;
}

/** Publish or withdraw an open proposal: for the contract's publisher team and admins. */
export function PublisherActions({ proposal, admin, onPublished }: Props) {
  const publish = usePublishProposal(proposal.id, onPublished);
  const withdraw = useWithdrawProposal(proposal.id);
  const busy = publish.isPending || withdraw.isPending;
  const refusal = publish.isError ? publishRefusal(publish.error) : null;
  const published = (contract: Contract) => toast.success(`${contract.name} ${contract.version} published`);
  const ready = proposal.verdict.publishable;
  return (
    <div className="space-y-3 rounded-lg border p-4" data-testid="publisher-actions">
      <div className="flex flex-wrap items-center gap-2">
        <Button variant={ready ? "default" : "outline"} disabled={busy} onClick={() => publish.mutate(undefined, { onSuccess: published })}>
          <Upload /> Publish {proposal.proposed_version}
        </Button>
        <Button
          variant="ghost"
          disabled={busy}
          onClick={() =>
            withdraw.mutate(undefined, {
              onSuccess: (p) => toast.success(`Proposal of ${p.contract_name} ${p.proposed_version} withdrawn`),
            })
          }
        >
          <Undo2 /> Withdraw
        </Button>
        {admin && !ready && (
          <OverrideDialog
            proposal={proposal}
            busy={busy}
            onConfirm={(reason, close) =>
              publish.mutate(
                { override: true, reason },
                {
                  onSuccess: (contract) => {
                    published(contract);
                    close();
                  },
                  onError: close,
                },
              )
            }
          />
        )}
        <span className="text-sm text-muted-foreground">{ready ? "The change policy holds: it can be published." : "The change policy does not hold yet; the service will say who it waits for."}</span>
      </div>
      {refusal && <Refusal refusal={refusal} />}
    </div>
  );
}
