import { Fingerprint, KeyRound, Link2 } from "lucide-react";
import { Link } from "react-router";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ContractField } from "@/types/api";
import { describeConstraint } from "../lib/constraints";
import { useHashTarget } from "./use-hash-target";

export function FieldFlags({ field }: { field: ContractField }) {
  return (
    <div className="flex flex-wrap gap-1">
      {field.is_primary_key && (
        <Badge variant="default" title="primary key">
          <KeyRound aria-hidden /> PK
        </Badge>
      )}
      {field.is_foreign_key && (
        <Badge variant="secondary" title={`foreign key to ${field.foreign_key_reference ?? "?"}`}>
          <Link2 aria-hidden /> FK
        </Badge>
      )}
      {field.is_pii && (
        <Badge variant="warning" title="personal data">
          <Fingerprint aria-hidden /> PII
        </Badge>
      )}
      {field.unique && !field.is_primary_key && <Badge variant="outline">unique</Badge>}
    </div>
  );
}

export function SchemaTab({ fields }: { fields: ContractField[] }) {
  useHashTarget(fields.length > 0);
  return (
    <Card className="p-2">
      <Table data-testid="schema-table">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Field</TableHead>
            <TableHead>Type</TableHead>
            <TableHead>Nullable</TableHead>
            <TableHead>Keys &amp; PII</TableHead>
            <TableHead>Constraints</TableHead>
            <TableHead>Description</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {fields.map((field) => {
            const [refContract, refField] = (field.foreign_key_reference ?? "").split(".");
            return (
              <TableRow key={field.name} id={`field-${field.name}`}>
                <TableCell className="font-mono text-sm font-medium">{field.name}</TableCell>
                <TableCell>
                  <Badge variant="outline" className="font-mono">
                    {field.data_type}
                  </Badge>
                </TableCell>
                <TableCell>{field.nullable === false ? <span className="font-medium">not null</span> : <span className="text-muted-foreground">nullable</span>}</TableCell>
                <TableCell>
                  <FieldFlags field={field} />
                  {field.foreign_key_reference && refContract && (
                    <Link to={`/contracts/name/${encodeURIComponent(refContract)}?tab=schema`} className="mt-1 block font-mono text-xs text-primary hover:underline">
                      → {refContract}.{refField}
                    </Link>
                  )}
                </TableCell>
                <TableCell>
                  <ul className="space-y-0.5 text-xs">
                    {(field.constraints ?? []).map((c, i) => (
                      <li key={i} className="break-all" title={c.message ?? undefined}>
                        {describeConstraint(c)}
                      </li>
                    ))}
                  </ul>
                </TableCell>
                <TableCell className="max-w-md text-sm">
                  {field.description ?? <span className="text-muted-foreground">—</span>}
                  {field.example_value !== undefined && field.example_value !== null && (
                    <p className="mt-0.5 text-xs text-muted-foreground">
                      e.g. <code>{typeof field.example_value === "string" ? field.example_value : JSON.stringify(field.example_value)}</code>
                    </p>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Card>
  );
}
