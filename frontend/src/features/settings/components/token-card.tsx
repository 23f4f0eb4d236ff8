import { KeyRound } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useQueryClient } from "@tanstack/react-query";
import { useTokenClaims } from "@/components/layout/header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { formatDateTime } from "@/lib/format";
import { setToken } from "@/lib/token";

export function TokenCard() {
  const claims = useTokenClaims();
  const [value, setValue] = useState("");
  const queryClient = useQueryClient();
  const save = () => {
    setToken(value);
    setValue("");
    toast.success("API token saved in this browser");
    void queryClient.invalidateQueries();
  };
  // the time the card was opened, so rendering stays pure: a token that expires while the
  // page is open shows as expired after a reload
  const [openedAt] = useState(Date.now);
  const expired = claims?.exp ? claims.exp * 1000 < openedAt : false;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <KeyRound className="size-4" /> API token
        </CardTitle>
        <CardDescription>
          Reading needs no token. Creating or editing contracts, running checks and managing watchers do. Mint one with{" "}
          <code className="text-xs">datapact token create --sub you --team your-team --scope contracts:write --email you@example.com</code>; <code className="text-xs">--email</code> makes you the owner of that address's watchers and preferences. It is kept in this browser only.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {claims ? (
          <div className="rounded-md border bg-muted/40 p-3 text-sm" data-testid="token-claims">
            <p>
              Signed in as <span className="font-medium">{claims.sub ?? "unknown"}</span>
              {expired && <span className="ml-2 text-destructive">(expired)</span>}
            </p>
            <p className="text-muted-foreground">
              Teams: {claims.teams?.join(", ") || "none"} · Scopes: {claims.scopes?.join(", ") || "none"}
              {claims.email ? ` · owns ${claims.email}` : ""}
              {claims.exp ? ` · expires ${formatDateTime(new Date(claims.exp * 1000).toISOString())}` : ""}
            </p>
          </div>
        ) : (
          <p className="text-sm text-muted-foreground">No token set: the dashboard is read-only.</p>
        )}
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (value.trim()) save();
          }}
        >
          <div className="min-w-64 flex-1 space-y-1.5">
            <Label htmlFor="api-token">{claims ? "Replace the token" : "Token"}</Label>
            <Input id="api-token" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} placeholder="eyJhbGciOi…" />
          </div>
          <Button type="submit" disabled={!value.trim()}>
            Save token
          </Button>
          {claims && (
            <Button
              variant="outline"
              onClick={() => {
                setToken(null);
                toast.success("Token removed");
              }}
            >
              Remove
            </Button>
          )}
        </form>
      </CardContent>
    </Card>
  );
}
