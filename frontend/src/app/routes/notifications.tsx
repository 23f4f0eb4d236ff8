import { BellOff } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { FilterSelect } from "@/components/filter-select";
import { TableSkeleton } from "@/components/layout/page-skeleton";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { QueryError } from "@/components/query-error";
import { SearchInput } from "@/components/search-input";
import { StatusBadge } from "@/components/status-badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useNotifications } from "@/features/notifications/api/get-notifications";
import { NotificationDialog } from "@/features/notifications/components/notification-dialog";
import { formatDateTime, timeAgo } from "@/lib/format";
import { useUrlState } from "@/lib/use-url-state";
import { EVENT_TYPES, NOTIFICATION_STATUSES } from "@/types/api";

const PAGE_SIZE = 25;
const FILTERS = ["contract", "recipient", "type", "status", "channel"] as const;

export default function NotificationsPage() {
  const url = useUrlState();
  const page = url.getNumber("page", 1);
  const filters = Object.fromEntries(FILTERS.map((f) => [f, url.get(f)])) as Record<(typeof FILTERS)[number], string | undefined>;
  const notifications = useNotifications({ ...filters, skip: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  const open = url.get("open");
  const anyFilter = FILTERS.some((f) => filters[f]);
  const clear = () => url.set(Object.fromEntries(FILTERS.map((f) => [f, undefined])));

  return (
    <>
      <PageHeader title="Notifications" description="Everything the platform told people, and what it held back (duplicates, rate limits, preferences)." />
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <SearchInput className="w-full sm:w-56" label="Contract" placeholder="Contract name" value={filters.contract ?? ""} onChange={(v) => url.set({ contract: v }, { replace: true })} />
        <SearchInput className="w-full sm:w-64" label="Recipient" placeholder="Recipient e-mail" value={filters.recipient ?? ""} onChange={(v) => url.set({ recipient: v }, { replace: true })} />
        <FilterSelect label="Type" value={filters.type} options={EVENT_TYPES.map((t) => ({ value: t, label: t.replace(/_/g, " ") }))} onChange={(v) => url.set({ type: v })} className="w-52" />
        <FilterSelect label="Status" value={filters.status} options={NOTIFICATION_STATUSES.map((s) => ({ value: s }))} onChange={(v) => url.set({ status: v })} />
        <FilterSelect label="Channel" value={filters.channel} options={[{ value: "email" }, { value: "slack" }]} onChange={(v) => url.set({ channel: v })} className="w-36" />
        {anyFilter && (
          <Button variant="ghost" size="sm" onClick={clear}>
            Clear filters
          </Button>
        )}
      </div>
      <Card className="p-2">
        {notifications.isPending ? (
          <TableSkeleton rows={8} />
        ) : notifications.isError ? (
          <QueryError error={notifications.error} retry={() => void notifications.refetch()} what="notifications" />
        ) : notifications.data.notifications.length === 0 ? (
          <EmptyState icon={BellOff} title={anyFilter ? "No notification matches these filters" : "No notifications yet"} action={anyFilter ? <Button variant="outline" onClick={clear}>Clear filters</Button> : undefined}>
            {anyFilter ? "Try fewer filters." : "People are notified when a contract they publish, use or watch changes, drifts or breaches an SLA. Watch contracts in Settings."}
          </EmptyState>
        ) : (
          <div className="px-2">
            <Table data-testid="notifications-table">
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>When</TableHead>
                  <TableHead>Subject</TableHead>
                  <TableHead>Type</TableHead>
                  <TableHead>Recipient</TableHead>
                  <TableHead>Status</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {notifications.data.notifications.map((n) => (
                  <TableRow key={n.id} className="cursor-pointer" onClick={() => url.set({ open: n.id }, { keepPage: true })}>
                    <TableCell className="text-xs whitespace-nowrap" title={formatDateTime(n.created_at)}>
                      {timeAgo(n.created_at)}
                    </TableCell>
                    <TableCell className="max-w-md">
                      <button type="button" className="line-clamp-2 text-left font-medium text-primary hover:underline" onClick={(e) => { e.stopPropagation(); url.set({ open: n.id }, { keepPage: true }); }}>
                        {n.subject}
                      </button>
                      {n.contract_name && <span className="text-xs text-muted-foreground">{n.contract_name}</span>}
                    </TableCell>
                    <TableCell className="text-sm whitespace-nowrap">{n.event_type.replace(/_/g, " ")}</TableCell>
                    <TableCell className="text-sm">
                      {n.recipient}
                      <span className="block text-xs text-muted-foreground">{n.channel}</span>
                    </TableCell>
                    <TableCell>
                      <StatusBadge status={n.status} />
                      {n.suppressed_reason && <span className="block text-xs text-muted-foreground">{n.suppressed_reason.replace(/_/g, " ")}</span>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Pagination page={page} pageSize={PAGE_SIZE} total={notifications.data.total} onPageChange={(p) => url.set({ page: p > 1 ? p : undefined })} />
          </div>
        )}
      </Card>
      <NotificationDialog id={open} onClose={() => url.set({ open: undefined }, { keepPage: true })} />
    </>
  );
}
