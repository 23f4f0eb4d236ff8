import { Users } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Subscriber } from "@/types/api";

export function SubscribersTab({ subscribers }: { subscribers: Subscriber[] }) {
  if (subscribers.length === 0) {
    return (
      <EmptyState icon={Users} title="No subscribers yet">
        Teams that read this dataset subscribe with the fields they use, so they are told before a change breaks them.
      </EmptyState>
    );
  }
  return (
    <Card className="p-2">
      <Table data-testid="subscribers-table">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Team</TableHead>
            <TableHead>Use case</TableHead>
            <TableHead>Fields used</TableHead>
            <TableHead>Contact</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {subscribers.map((s) => (
            <TableRow key={s.team}>
              <TableCell className="font-medium">{s.team}</TableCell>
              <TableCell className="max-w-xs text-sm">{s.use_case ?? "—"}</TableCell>
              <TableCell>
                {s.fields_used?.length ? (
                  <div className="flex max-w-md flex-wrap gap-1">
                    {s.fields_used.map((f) => (
                      <Badge key={f} variant="secondary" className="font-mono">
                        {f}
                      </Badge>
                    ))}
                  </div>
                ) : (
                  <span className="text-sm text-muted-foreground">every field</span>
                )}
              </TableCell>
              <TableCell className="text-sm">{s.contact_email ? <a className="text-primary hover:underline" href={`mailto:${s.contact_email}`}>{s.contact_email}</a> : "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  );
}
