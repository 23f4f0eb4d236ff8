import { keepPreviousData, queryOptions, skipToken, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import type { ContractDocument, ValidationReport } from "@/types/api";
import { contractKeys } from "./keys";

export function validateContract(document: ContractDocument, signal?: AbortSignal): Promise<ValidationReport> {
  return apiFetch<ValidationReport>("/api/v1/contracts/validate", { method: "POST", json: document, signal });
}

export const validateContractQueryOptions = (document: ContractDocument | null) =>
  queryOptions({
    queryKey: contractKeys.validate(document),
    queryFn: document ? ({ signal }) => validateContract(document, signal) : skipToken,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
    meta: { silent: true },
  });

export function useValidateContract(document: ContractDocument | null) {
  return useQuery(validateContractQueryOptions(document));
}
