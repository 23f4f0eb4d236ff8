import { CONTRACT_SORTS, type ContractSort } from "@/types/api";

export function isContractSort(value: string | undefined): value is ContractSort {
  return (CONTRACT_SORTS as readonly string[]).includes(value ?? "");
}
