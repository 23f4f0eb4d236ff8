import { useState } from "react";
import { FileUp } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { useDraftFromSql } from "@/features/drafts/api/draft-from-sql";
import { readText } from "@/lib/read-text";
import type { ContractDocument, DraftFromSqlResult, SqlDialect } from "@/types/api";

// The contract-service reads at most this much SQL (contract_service.drafts.schemas).
export const MAX_SQL_CHARS = 1_000_000;
const MAX_PROBLEMS_SHOWN = 10;
const DIALECTS: { value: SqlDialect; label: string }[] = [
  { value: "postgres", label: "PostgreSQL" },
  { value: "mysql", label: "MySQL" },
  { value: "mariadb", label: "MariaDB" },
  { value: "duckdb", label: "DuckDB" },
];

interface Props {
  team?: string | null;
  onChoose: (document: ContractDocument, name: string) => void;
}

/** "Start from a DDL file": the file's tables drafted as contracts, one chosen for the editor. */
export function DraftFromSql({ team, onChoose }: Props) {
  const draft = useDraftFromSql();
  const [file, setFile] = useState<File | null>(null);
  const [dialect, setDialect] = useState<SqlDialect>("postgres");
  const [fileError, setFileError] = useState<string | null>(null);
  const [result, setResult] = useState<DraftFromSqlResult | null>(null);

  const submit = async () => {
    if (!file) return;
    let sql: string;
    try {
      sql = await readText(file);
    } catch {
      setFileError(`${file.name} could not be read as text`);
      return;
    }
    if (sql.length > MAX_SQL_CHARS) {
      setFileError(`${file.name} has ${sql.length.toLocaleString()} characters; at most ${MAX_SQL_CHARS.toLocaleString()} are read (datapact init --from-sql reads larger files)`);
      return;
    }
    setFileError(null);
    draft.mutate({ sql, dialect, team: team || null }, { onSuccess: setResult });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Start from a DDL file</CardTitle>
        <CardDescription>
          Upload a schema.sql or a pg_dump --schema-only: each table becomes a draft (types, keys, enums, CHECKs, comments, guessed personal data), read as the PR check and datapact init --from-sql read it. Nothing is saved until you save the contract.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="min-w-64 flex-1 space-y-1.5">
            <Label htmlFor="ddl-file">DDL file</Label>
            <Input
              id="ddl-file"
              type="file"
              accept=".sql,.ddl,.txt,text/plain,application/sql"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setResult(null);
                setFileError(null);
              }}
              aria-invalid={Boolean(fileError) || undefined}
            />
          </div>
          <div className="space-y-1.5">
            <Label htmlFor="ddl-dialect">Dialect</Label>
            <Select value={dialect} onValueChange={(v) => setDialect(v as SqlDialect)}>
              <SelectTrigger id="ddl-dialect" className="w-40">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {DIALECTS.map((d) => (
                  <SelectItem key={d.value} value={d.value}>
                    {d.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <Button type="submit" disabled={!file || draft.isPending}>
            <FileUp /> Draft contracts
          </Button>
        </form>
        {fileError && <p className="text-sm text-destructive">{fileError}</p>}
        {result && (
          <div className="space-y-3">
            <ul className="divide-y rounded-lg border" aria-label="Drafted contracts">
              {result.drafts.map((item) => (
                <li key={item.name} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
                  <span>
                    <span className="font-medium">{item.name}</span>{" "}
                    <span className="text-muted-foreground">
                      {item.kind} {item.table}, {item.document.schema.length} fields
                      {item.left_out.length > 0 && `, ${item.left_out.length} left out`}
                    </span>
                  </span>
                  <Button type="button" size="sm" variant="outline" onClick={() => onChoose(item.document, item.name)}>
                    Edit this draft
                  </Button>
                </li>
              ))}
            </ul>
            {result.problems.length > 0 && (
              <div className="text-sm">
                <p className="font-medium">Not drafted ({result.problems.length})</p>
                <ul className="list-disc pl-5 text-muted-foreground">
                  {result.problems.slice(0, MAX_PROBLEMS_SHOWN).map((problem) => (
                    <li key={problem}>{problem}</li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
