import { StatusBadge } from "@/components/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import type { TeamAnswer } from "@/types/api";

/** Each affected team's latest answer. */
export function TeamAnswers({ answers }: { answers: TeamAnswer[] }) {
  return (
    <Table data-testid="team-answers">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Team</TableHead>
          <TableHead>Answer</TableHead>
          <TableHead>Comment</TableHead>
          <TableHead>By</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {answers.map((a) => (
          <TableRow key={a.team} data-team={a.team} data-answer={a.answer}>
            <TableCell className="font-medium">{a.team}</TableCell>
            <TableCell>
              <StatusBadge status={a.answer} />
            </TableCell>
            <TableCell className="max-w-md text-sm whitespace-pre-wrap">{a.comment ?? "—"}</TableCell>
            <TableCell className="text-sm text-muted-foreground">{a.answered_by ? `${a.answered_by}, ${formatDateTime(a.answered_at)}` : "—"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
