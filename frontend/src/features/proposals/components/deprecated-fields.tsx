import { QueryError } from "@/components/query-error";
import { StatusBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { pluralize } from "@/lib/format";
import type { DeprecatedField } from "@/types/api";
import { useDeprecations } from "../api/get-deprecations";

function daysLeft(field: DeprecatedField): string {
  if (field.days_left === null) return "no sunset";
  if (field.days_left < 0) return `passed ${pluralize(-field.days_left, "day")} ago`;
  if (field.days_left === 0) return "today";
  return `in ${pluralize(field.days_left, "day")}`;
}

/** The contract's deprecated fields: sunset, replacement, who still reads them. */
export function DeprecatedFields({ contractId }: { contractId: string }) {
  const deprecations = useDeprecations(contractId);
  if (deprecations.isPending) return <Skeleton className="h-24" />;
  if (deprecations.isError) return <QueryError error={deprecations.error} retry={() => void deprecations.refetch()} what="the deprecated fields" />;
  const fields = deprecations.data.fields;
  return (
    <Card className="p-2">
      <CardHeader>
        <CardTitle>Deprecated fields</CardTitle>
        <CardDescription>
          {fields.length === 0
            ? "No field is deprecated."
            : "Subscribers still reading a field get a notice, then reminders 14, 7 and 1 days before its sunset; dropping it from fields_used migrates them."}
        </CardDescription>
      </CardHeader>
      {fields.length > 0 && (
        <CardContent>
          <Table data-testid="deprecated-fields">
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>Field</TableHead>
                <TableHead>Since</TableHead>
                <TableHead>Sunset</TableHead>
                <TableHead>Read instead</TableHead>
                <TableHead>Not migrated</TableHead>
                <TableHead>Migrated</TableHead>
                <TableHead>Sent</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {fields.map((f) => (
                <TableRow key={f.field} data-field={f.field}>
                  <TableCell className="font-mono font-medium">{f.field}</TableCell>
                  <TableCell className="text-sm whitespace-nowrap">{f.since ?? "—"}</TableCell>
                  <TableCell className="text-sm whitespace-nowrap">
                    {f.sunset ?? "—"} <span className="text-muted-foreground">({daysLeft(f)})</span>
                  </TableCell>
                  <TableCell className="font-mono text-sm">{f.replacement ?? "—"}</TableCell>
                  <TableCell data-testid="not-migrated">
                    <div className="flex flex-wrap gap-1">
                      {f.not_migrated.length === 0 ? <StatusBadge status="pass" label="everyone migrated" /> : f.not_migrated.map((t) => <StatusBadge key={t} status="warning" label={t} />)}
                    </div>
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap gap-1">
                      {f.migrated.length === 0 ? "—" : f.migrated.map((t) => <Badge key={t} variant="outline">{t}</Badge>)}
                    </div>
                  </TableCell>
                  <TableCell className="text-sm text-muted-foreground">{f.reminders_sent.join(", ") || "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      )}
    </Card>
  );
}
