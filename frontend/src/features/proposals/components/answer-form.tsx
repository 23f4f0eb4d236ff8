import { Check, X } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { Proposal } from "@/types/api";
import { useApproveProposal } from "../api/approve-proposal";
import { useObjectToProposal } from "../api/object-to-proposal";

/** Approve or object for one of `teams` (the affected teams the token holds), with a comment. */
export function AnswerForm({ proposal, teams }: { proposal: Proposal; teams: string[] }) {
  const id = useId();
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [comment, setComment] = useState("");
  const approve = useApproveProposal(proposal.id);
  const object = useObjectToProposal(proposal.id);
  const team = chosen && teams.includes(chosen) ? chosen : teams[0];
  if (!team) return null;
  const current = proposal.answers.find((a) => a.team === team)?.answer ?? "pending";
  const busy = approve.isPending || object.isPending;
  const done = (verb: string) => () => {
    toast.success(`${team} ${verb} ${proposal.contract_name} ${proposal.proposed_version}`);
    setComment("");
  };
  const body = () => ({ team, comment: comment.trim() || null });
  return (
    <div className="space-y-3 rounded-lg border bg-muted/30 p-4" data-testid="answer-form">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">Answer for</span>
        {teams.length > 1 ? (
          <Select value={team} onValueChange={setChosen}>
            <SelectTrigger className="w-40" aria-label="Team">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {teams.map((t) => (
                <SelectItem key={t} value={t}>
                  {t}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        ) : (
          <code className="rounded bg-muted px-1 font-mono">{team}</code>
        )}
        <span className="text-muted-foreground">(now: {current}; a new answer replaces it)</span>
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${id}-comment`}>Comment</Label>
        <Textarea
          id={`${id}-comment`}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={2000}
          placeholder="What the change means for your team (required to object)"
        />
      </div>
      <div className="flex flex-wrap gap-2">
        <Button disabled={busy} onClick={() => approve.mutate(body(), { onSuccess: done("approved") })}>
          <Check /> Approve
        </Button>
        <Button variant="destructive" disabled={busy || !comment.trim()} title={comment.trim() ? undefined : "Say why in the comment"} onClick={() => object.mutate(body(), { onSuccess: done("objected to") })}>
          <X /> Object
        </Button>
      </div>
    </div>
  );
}
