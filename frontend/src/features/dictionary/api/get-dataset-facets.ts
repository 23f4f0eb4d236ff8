import { queryOptions, useQuery } from "@tanstack/react-query";
import type { SearchResponse } from "@/types/api";
import { dictionarySearchQueryOptions, type DictionarySearchParams } from "./search-dictionary";

export interface FacetOption {
  value: string;
  count: number;
}

export interface DatasetFacets {
  teams: FacetOption[];
  tags: FacetOption[];
}

// one dataset hit is enough: the facets count every match
const PARAMS: DictionarySearchParams = { kind: "dataset", limit: 1 };
const NONE: DatasetFacets = { teams: [], tags: [] };

function toOptions(counts: Record<string, number> | undefined): FacetOption[] {
  return Object.entries(counts ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([value, count]) => ({ value, count }));
}

function toFacets(response: SearchResponse): DatasetFacets {
  return { teams: toOptions(response.facets.team), tags: toOptions(response.facets.tag) };
}

/** Team and tag choices for filters, with counts: the dictionary's facets over datasets. */
export const datasetFacetsQueryOptions = () => queryOptions({ ...dictionarySearchQueryOptions(PARAMS), select: toFacets });

export function useDatasetFacets(): DatasetFacets {
  return useQuery(datasetFacetsQueryOptions()).data ?? NONE;
}
