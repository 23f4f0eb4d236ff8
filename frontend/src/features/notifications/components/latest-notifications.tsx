import { BellOff } from "lucide-react";
import { Link } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { QueryError } from "@/components/query-error";
import { StatusBadge } from "@/components/status-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { TableSkeleton } from "@/components/layout/page-skeleton";
import { timeAgo } from "@/lib/format";
import { useNotifications } from "../api/get-notifications";

export function LatestNotifications() {
  const notifications = useNotifications({ limit: 6 });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Latest notifications</CardTitle>
        <CardDescription>What people were told, newest first</CardDescription>
      </CardHeader>
      <CardContent>
        {notifications.isPending ? (
          <TableSkeleton rows={4} />
        ) : notifications.isError ? (
          <QueryError error={notifications.error} retry={() => void notifications.refetch()} what="notifications" />
        ) : notifications.data.notifications.length === 0 ? (
          <EmptyState icon={BellOff} title="No notifications yet">
            Notifications appear here when a contract changes, drifts or breaches an SLA.
          </EmptyState>
        ) : (
          <ul className="divide-y">
            {notifications.data.notifications.map((n) => (
              <li key={n.id} className="flex items-start justify-between gap-3 py-2.5 first:pt-0 last:pb-0">
                <div className="min-w-0">
                  <Link to={`/notifications?open=${n.id}`} className="line-clamp-1 text-sm font-medium hover:underline">
                    {n.subject}
                  </Link>
                  <p className="truncate text-xs text-muted-foreground">
                    {n.event_type.replace(/_/g, " ")} · {n.recipient} · {timeAgo(n.created_at)}
                  </p>
                </div>
                <StatusBadge status={n.status} />
              </li>
            ))}
          </ul>
        )}
        <Link to="/notifications" className="mt-4 inline-block text-sm font-medium text-primary hover:underline">
          All notifications →
        </Link>
      </CardContent>
    </Card>
  );
}
