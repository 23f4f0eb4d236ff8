import { Mail } from "lucide-react";
import { useState } from "react";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PreferencesCard } from "@/features/settings/components/preferences-card";
import { TokenCard } from "@/features/settings/components/token-card";
import { WatchersCard } from "@/features/settings/components/watchers-card";
import { takeLinkFromUrl } from "@/features/settings/lib/email-links";
import { useUrlState } from "@/lib/use-url-state";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export default function SettingsPage() {
  // Before the cards' first requests: they send the link of the e-mail this page was opened from.
  useState(takeLinkFromUrl);
  const url = useUrlState();
  const email = url.get("email") ?? "";
  const [draft, setDraft] = useState(email);
  const valid = EMAIL.test(draft.trim());
  return (
    <>
      <PageHeader title="Settings" description="Your API token, and who hears about what." />
      <div className="space-y-6">
        <TokenCard />
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <Mail className="size-4" /> Notifications for an e-mail address
            </CardTitle>
            <CardDescription>Pick an address to see and change its watches and preferences.</CardDescription>
          </CardHeader>
          <CardContent>
            <form
              className="flex flex-wrap items-end gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                if (valid) url.set({ email: draft.trim().toLowerCase() });
              }}
            >
              <div className="min-w-64 flex-1 space-y-1.5">
                <Label htmlFor="settings-email">E-mail</Label>
                <Input id="settings-email" type="email" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="you@example.com" />
              </div>
              <Button type="submit" disabled={!valid}>
                Show
              </Button>
            </form>
          </CardContent>
        </Card>
        {email && (
          <>
            <WatchersCard email={email} />
            <PreferencesCard email={email} />
          </>
        )}
      </div>
    </>
  );
}
