import type { ProposalStatus } from "@/types/api";

export const proposalKeys = {
  all: ["proposals"] as const,
  lists: () => [...proposalKeys.all, "list"] as const,
  list: (params: { status?: ProposalStatus; team?: string }) => [...proposalKeys.lists(), params] as const,
  forContract: (contractId: string, status?: ProposalStatus) => [...proposalKeys.all, "contract", contractId, status ?? "all"] as const,
  detail: (id: string) => [...proposalKeys.all, "detail", id] as const,
  deprecations: (contractId: string) => [...proposalKeys.all, "deprecations", contractId] as const,
};
