import { SlidersHorizontal } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { QueryError } from "@/components/query-error";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { EVENT_SEVERITIES, EVENT_TYPES, type EventSeverity, type EventType, type Preference, type PreferenceIn } from "@/types/api";
import { usePreferences } from "../api/get-preferences";
import { useUpdatePreferences } from "../api/update-preferences";

function PreferencesForm({ email, saved }: { email: string; saved: Preference }) {
  const [draft, setDraft] = useState<PreferenceIn>({
    muted_types: saved.muted_types.filter((t): t is EventType => (EVENT_TYPES as readonly string[]).includes(t)),
    min_severity: (EVENT_SEVERITIES as readonly string[]).includes(saved.min_severity) ? (saved.min_severity as EventSeverity) : "info",
    digest: saved.digest,
  });
  const update = useUpdatePreferences(email);
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate(draft, { onSuccess: () => toast.success("Preferences saved") });
      }}
    >
      {!saved.stored && <p className="text-sm text-muted-foreground">Nothing saved for {email} yet; these are the defaults.</p>}
      <div className="flex flex-wrap gap-6">
        <div className="space-y-1.5">
          <Label htmlFor="min-severity">Minimum severity</Label>
          <Select value={draft.min_severity} onValueChange={(v) => setDraft({ ...draft, min_severity: v as EventSeverity })}>
            <SelectTrigger id="min-severity" className="w-40">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {EVENT_SEVERITIES.map((s) => (
                <SelectItem key={s} value={s}>
                  {s}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="flex items-center gap-2 pt-6">
          <Switch id="digest" checked={draft.digest} onCheckedChange={(v) => setDraft({ ...draft, digest: v })} />
          <Label htmlFor="digest">Digest of what the hourly limit held back</Label>
        </div>
      </div>
      <fieldset>
        <legend className="mb-2 text-sm font-medium">Mute these event types</legend>
        <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
          {EVENT_TYPES.map((t) => (
            <label key={t} className="flex items-center gap-2 text-sm">
              <Checkbox
                checked={draft.muted_types.includes(t)}
                onCheckedChange={(v) => setDraft({ ...draft, muted_types: v === true ? [...draft.muted_types, t] : draft.muted_types.filter((x) => x !== t) })}
              />
              {t.replace(/_/g, " ")}
            </label>
          ))}
        </div>
      </fieldset>
      <Button type="submit" disabled={update.isPending}>
        Save preferences
      </Button>
    </form>
  );
}

export function PreferencesCard({ email }: { email: string }) {
  const prefs = usePreferences(email);
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <SlidersHorizontal className="size-4" /> Preferences
        </CardTitle>
        <CardDescription>
          What {email} does not want to hear. Muted messages are recorded as suppressed. Only the address&apos;s owner (a token made with <code className="text-xs">--email {email}</code>, or the link in any DataPact e-mail to it) or an admin sees and changes them.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {prefs.isPending ? (
          <Skeleton className="h-40" />
        ) : prefs.isError ? (
          <QueryError error={prefs.error} retry={() => void prefs.refetch()} what="preferences" />
        ) : (
          <PreferencesForm key={`${email}:${prefs.data.updated_at ?? ""}`} email={email} saved={prefs.data} />
        )}
      </CardContent>
    </Card>
  );
}
