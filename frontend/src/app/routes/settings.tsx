import { Lock, Mail } from "lucide-react";
import { useState } from "react";
import { useTokenClaims } from "@/components/layout/header";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PreferencesCard } from "@/features/settings/components/preferences-card";
import { TokenCard } from "@/features/settings/components/token-card";
import { WatchersCard } from "@/features/settings/components/watchers-card";
import { mayManage, takeLinkFromUrl } from "@/features/settings/lib/email-links";
import { useUrlState } from "@/lib/use-url-state";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export default function SettingsPage() {
  // Before the cards' first requests: they send the link of the e-mail this page was opened from.
  useState(takeLinkFromUrl);
  const url = useUrlState();
  const claims = useTokenClaims();
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
        {email &&
          (mayManage(email, claims) ? (
            <>
              <WatchersCard email={email} />
              <PreferencesCard email={email} />
            </>
          ) : (
            <Card data-testid="owner-only">
              <CardHeader>
                <CardTitle className="flex items-center gap-2">
                  <Lock className="size-4" /> {email}&apos;s notifications are theirs
                </CardTitle>
                <CardDescription>
                  Only the owner of an address, or an admin, sees and changes what it hears about. Open the link at the end of any DataPact e-mail to {email}, or save a token made with{" "}
                  <code className="text-xs">datapact token create … --email {email}</code> above.
                </CardDescription>
              </CardHeader>
            </Card>
          ))}
      </div>
    </>
  );
}
