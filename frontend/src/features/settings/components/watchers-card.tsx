import { Check, Eye, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { EmptyState } from "@/components/empty-state";
import { TableSkeleton } from "@/components/layout/page-skeleton";
import { QueryError } from "@/components/query-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { ApiError } from "@/lib/api-error";
import { EVENT_TYPES, type EventType } from "@/types/api";
import { useConfirmWatcher } from "../api/confirm-watcher";
import { useCreateWatcher } from "../api/create-watcher";
import { useDeleteWatcher } from "../api/delete-watcher";
import { useWatchers } from "../api/get-watchers";

type Scope = "all" | "team" | "contract";

function AddWatcher({ email }: { email: string }) {
  const [scope, setScope] = useState<Scope>("contract");
  const [target, setTarget] = useState("");
  const [types, setTypes] = useState<EventType[]>([]);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const create = useCreateWatcher();
  const submit = () => {
    setFieldError(null);
    create.mutate(
      { channel: "email", target: email, contract_name: scope === "contract" ? target.trim() : undefined, team: scope === "team" ? target.trim() : undefined, event_types: types },
      {
        onSuccess: (watcher) => {
          toast.success(watcher.status === "pending" ? `Asked ${email} to confirm by e-mail` : "Watching");
          setTarget("");
          setTypes([]);
        },
        onError: (error) => {
          if (error instanceof ApiError) setFieldError(error.errors.map((e) => e.message).join("; ") || error.detail);
        },
      },
    );
  };
  return (
    <form
      className="space-y-3 rounded-lg border p-4"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <div className="space-y-1.5">
          <Label htmlFor="watch-scope">Watch</Label>
          <Select value={scope} onValueChange={(v) => setScope(v as Scope)}>
            <SelectTrigger id="watch-scope" className="w-44">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="contract">one contract</SelectItem>
              <SelectItem value="team">a team’s contracts</SelectItem>
              <SelectItem value="all">every contract</SelectItem>
            </SelectContent>
          </Select>
        </div>
        {scope !== "all" && (
          <div className="min-w-56 flex-1 space-y-1.5">
            <Label htmlFor="watch-target">{scope === "contract" ? "Contract name" : "Team"}</Label>
            <Input id="watch-target" value={target} onChange={(e) => setTarget(e.target.value)} placeholder={scope === "contract" ? "orders" : "commerce"} aria-invalid={Boolean(fieldError) || undefined} required />
          </div>
        )}
        <Button type="submit" disabled={create.isPending}>
          <Plus /> Watch
        </Button>
      </div>
      <fieldset>
        <legend className="mb-2 text-sm font-medium">Event types (none ticked = all)</legend>
        <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
          {EVENT_TYPES.map((t) => (
            <label key={t} className="flex items-center gap-2 text-sm">
              <Checkbox checked={types.includes(t)} onCheckedChange={(v) => setTypes(v === true ? [...types, t] : types.filter((x) => x !== t))} />
              {t.replace(/_/g, " ")}
            </label>
          ))}
        </div>
      </fieldset>
      {fieldError && <p className="text-sm text-destructive">{fieldError}</p>}
    </form>
  );
}

export function WatchersCard({ email }: { email: string }) {
  const watchers = useWatchers(email);
  const remove = useDeleteWatcher(email);
  const confirm = useConfirmWatcher(email);
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Eye className="size-4" /> Watching
        </CardTitle>
        <CardDescription>
          Contracts and teams {email} hears about, beyond what they publish or subscribe to. A watch added for someone else&apos;s address waits until that address confirms it (by the link e-mailed to it, or with a token made with{" "}
          <code className="text-xs">--email</code>).
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {watchers.isPending ? (
          <TableSkeleton rows={2} />
        ) : watchers.isError ? (
          <QueryError error={watchers.error} retry={() => void watchers.refetch()} what="watchers" />
        ) : watchers.data.watchers.length === 0 ? (
          <EmptyState icon={Eye} title="Not watching anything">
            Add a contract, a team or everything below.
          </EmptyState>
        ) : (
          <ul className="divide-y rounded-lg border" data-testid="watchers">
            {watchers.data.watchers.map((w) => (
              <li key={w.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
                <span className="font-medium">{w.scope === "all" ? "Every contract" : w.scope === "team" ? `Team ${w.team}` : w.contract_name}</span>
                <div className="flex flex-1 flex-wrap gap-1">
                  {w.event_types.length === 0 ? <Badge variant="muted">all events</Badge> : w.event_types.map((t) => <Badge key={t} variant="outline">{t.replace(/_/g, " ")}</Badge>)}
                  {w.status === "pending" && <Badge variant="outline">waiting for confirmation</Badge>}
                </div>
                {w.status === "pending" && (
                  <Button variant="outline" size="sm" disabled={confirm.isPending} onClick={() => confirm.mutate(w.id, { onSuccess: () => toast.success("Confirmed") })}>
                    <Check /> Confirm
                  </Button>
                )}
                <Button variant="ghost" size="sm" aria-label={`Stop watching ${w.contract_name ?? w.team ?? "everything"}`} onClick={() => remove.mutate(w.id, { onSuccess: () => toast.success("Stopped watching") })}>
                  <Trash2 /> Stop
                </Button>
              </li>
            ))}
          </ul>
        )}
        <AddWatcher email={email} />
      </CardContent>
    </Card>
  );
}
