export const dictionaryKeys = {
  all: ["dictionary"] as const,
  summary: () => [...dictionaryKeys.all, "summary"] as const,
  search: (params: object) => [...dictionaryKeys.all, "search", params] as const,
};
