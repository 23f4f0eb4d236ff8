export const erdKeys = {
  all: ["erd"] as const,
  graph: (params: object) => [...erdKeys.all, "graph", params] as const,
  mermaid: (params: object) => [...erdKeys.all, "mermaid", params] as const,
};
