import { useMutation } from "@tanstack/react-query";
import { apiFetchText } from "@/lib/api-client";
import { ApiError } from "@/lib/api-error";

/**
 * The contract as an ODCS v3 document, converted by the registry (docs/design.md §3: lossless, with
 * DataPact-only data in customProperties). The conversion is the server's, never the browser's.
 */
export async function exportOdcs(id: string): Promise<string> {
  try {
    return await apiFetchText(`/api/v1/contracts/${encodeURIComponent(id)}/odcs`, { accept: "application/yaml" });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405) && error.detail === "Not Found") {
      throw new ApiError(error.status, "This registry does not offer ODCS export yet (GET /api/v1/contracts/{id}/odcs). Download the YAML or JSON instead.");
    }
    throw error;
  }
}

export function useExportOdcs(id: string) {
  return useMutation({ mutationFn: () => exportOdcs(id), meta: { errorTitle: "ODCS export failed" } });
}
