export const contractKeys = {
  all: ["contracts"] as const,
  lists: () => [...contractKeys.all, "list"] as const,
  list: (params: object) => [...contractKeys.lists(), params] as const,
  everything: () => [...contractKeys.lists(), "all"] as const,
  detail: (id: string) => [...contractKeys.all, "detail", id] as const,
  byName: (name: string) => [...contractKeys.all, "by-name", name] as const,
  versions: (id: string) => [...contractKeys.detail(id), "versions"] as const,
  version: (id: string, version: string) => [...contractKeys.detail(id), "version", version] as const,
  diff: (id: string, from: string, to: string) => [...contractKeys.detail(id), "diff", from, to] as const,
  previewDiff: (id: string, document: object | null) => [...contractKeys.detail(id), "preview-diff", document] as const,
  validate: (document: object | null) => [...contractKeys.all, "validate", document] as const,
};
