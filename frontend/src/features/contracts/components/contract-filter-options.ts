import { useDictionarySearch } from "@/features/dictionary/api/search-dictionary";

/** Team and tag choices for the filters, from the dictionary's facets (with counts). */
export function useContractFilterOptions() {
  const facets = useDictionarySearch({ kind: "dataset", limit: 1 });
  const toOptions = (counts: Record<string, number> | undefined) =>
    Object.entries(counts ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([value, count]) => ({ value, count }));
  return { teams: toOptions(facets.data?.facets.team), tags: toOptions(facets.data?.facets.tag) };
}
