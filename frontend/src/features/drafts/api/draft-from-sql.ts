import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { DraftFromSqlRequest, DraftFromSqlResult } from "@/types/api";

/** The contract-service drafts one contract per table of the DDL; nothing is stored. */
export function draftFromSql(request: DraftFromSqlRequest): Promise<DraftFromSqlResult> {
  return apiFetch<DraftFromSqlResult>("/api/v1/drafts/from-sql", { method: "POST", json: request });
}

export function useDraftFromSql() {
  return useMutation({
    mutationFn: draftFromSql,
    meta: { errorTitle: "No contract could be drafted from this file" },
  });
}
