import { Archive } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { Contract } from "@/types/api";
import { useDeprecateContract } from "../api/deprecate-contract";

export function DeprecateDialog({ contract }: { contract: Contract }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const deprecate = useDeprecateContract(contract.id);
  const subscribers = contract.subscribers?.length ?? 0;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline">
          <Archive /> Deprecate
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Deprecate {contract.name}?</DialogTitle>
          <DialogDescription>
            The contract stays readable with status “deprecated” as a new minor version.{" "}
            {subscribers > 0 ? `${subscribers} subscribing team${subscribers === 1 ? "" : "s"} will be told.` : "No team subscribes to it."}
          </DialogDescription>
        </DialogHeader>
        <div className="space-y-2">
          <Label htmlFor="deprecate-reason">Reason (optional, sent to subscribers)</Label>
          <Textarea id="deprecate-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
        </div>
        <DialogFooter>
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            variant="destructive"
            disabled={deprecate.isPending}
            onClick={() =>
              deprecate.mutate(reason.trim() || undefined, {
                onSuccess: (updated) => {
                  toast.success(`${updated.name} deprecated`, { description: `now version ${updated.version}` });
                  setOpen(false);
                },
              })
            }
          >
            Deprecate
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
