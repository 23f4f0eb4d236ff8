import { QueryError } from "@/components/query-error";
import { StatusBadge } from "@/components/status-badge";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { formatDateTime } from "@/lib/format";
import { useNotification } from "../api/get-notification";

/**
 * The message as it was sent. The HTML part is shown in a sandboxed frame without scripts,
 * same-origin access or navigation, so nothing in a message can act on the dashboard.
 */
export function NotificationDialog({ id, onClose }: { id: string | undefined; onClose: () => void }) {
  const notification = useNotification(id);
  const n = notification.data;
  return (
    <Dialog open={Boolean(id)} onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle className="pr-6 break-words">{n?.subject ?? "Notification"}</DialogTitle>
          <DialogDescription asChild>
            <div className="flex flex-wrap items-center gap-2 text-xs">
              {n && (
                <>
                  <StatusBadge status={n.status} />
                  <span>
                    {n.event_type.replace(/_/g, " ")} · {n.channel} to {n.recipient} · {formatDateTime(n.created_at)}
                  </span>
                </>
              )}
            </div>
          </DialogDescription>
        </DialogHeader>
        {notification.isPending ? (
          <Skeleton className="h-72" />
        ) : notification.isError ? (
          <QueryError error={notification.error} retry={() => void notification.refetch()} what="the message" />
        ) : (
          <div className="space-y-3">
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-muted-foreground">Why</dt>
              <dd>{n!.reason}</dd>
              {n!.suppressed_reason && (
                <>
                  <dt className="text-muted-foreground">Suppressed</dt>
                  <dd>
                    {n!.suppressed_reason.replace(/_/g, " ")}
                    {n!.note ? ` — ${n!.note}` : ""}
                  </dd>
                </>
              )}
              {n!.last_error && (
                <>
                  <dt className="text-muted-foreground">Last error</dt>
                  <dd className="break-words text-destructive">
                    {n!.last_error} (after {n!.attempts} attempts)
                  </dd>
                </>
              )}
              {n!.sent_at && (
                <>
                  <dt className="text-muted-foreground">Sent</dt>
                  <dd>{formatDateTime(n!.sent_at)}</dd>
                </>
              )}
            </dl>
            <Tabs defaultValue={n!.body_html ? "html" : "text"}>
              <TabsList>
                {n!.body_html && <TabsTrigger value="html">Message</TabsTrigger>}
                <TabsTrigger value="text">Plain text</TabsTrigger>
              </TabsList>
              {n!.body_html && (
                <TabsContent value="html">
                  <iframe title="Rendered message" sandbox="" srcDoc={n!.body_html} className="h-[26rem] w-full rounded-md border bg-white" data-testid="notification-html" />
                </TabsContent>
              )}
              <TabsContent value="text">
                <pre className="max-h-[26rem] overflow-auto rounded-md border p-3 font-mono text-xs whitespace-pre-wrap" data-testid="notification-text">
                  {n!.body_text}
                </pre>
              </TabsContent>
            </Tabs>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
