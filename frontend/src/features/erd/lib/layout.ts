import { Graph, layout, type EdgeLabel, type GraphLabel, type NodeLabel } from "@dagrejs/dagre";
import type { Edge, Node } from "@xyflow/react";
import type { DatasetNodeData, ErdGraph } from "@/types/api";

export const NODE_WIDTH = 250;
export const TEAM_WIDTH = 170;
const HEADER = 52;
const ROW = 24;
const TEAM_HEIGHT = 40;

export type DatasetFlowNode = Node<DatasetNodeData & Record<string, unknown>, "dataset">;
export type TeamFlowNode = Node<{ name: string }, "team">;
export type ErdFlowNode = DatasetFlowNode | TeamFlowNode;

export function datasetHeight(data: DatasetNodeData): number {
  return HEADER + Math.max(1, data.fields.length) * ROW + 8;
}

/** React Flow nodes and edges from the ERD API, placed by dagre. */
export function layoutErd(graph: ErdGraph, { subscriptions }: { subscriptions: boolean }): { nodes: ErdFlowNode[]; edges: Edge[] } {
  const keepEdge = (e: ErdGraph["edges"][number]) => subscriptions || e.type !== "subscription";
  const edges = graph.edges.filter(keepEdge);
  const nodes = graph.nodes.filter((n) => subscriptions || n.type !== "team");
  const ids = new Set(nodes.map((n) => n.id));

  const g = new Graph<GraphLabel, NodeLabel, EdgeLabel>();
  // Top to bottom: teams first, then referenced (parent) datasets above the ones pointing at them.
  g.setGraph({ rankdir: "TB", nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    const size = node.type === "dataset" ? { width: NODE_WIDTH, height: datasetHeight(node.data) } : { width: TEAM_WIDTH, height: TEAM_HEIGHT };
    g.setNode(node.id, size);
  }
  for (const edge of edges) {
    if (!ids.has(edge.source) || !ids.has(edge.target) || edge.source === edge.target) continue;
    if (edge.type === "foreign_key") g.setEdge(edge.target, edge.source);
    else g.setEdge(edge.source, edge.target);
  }
  layout(g);

  const flowNodes: ErdFlowNode[] = nodes.map((node) => {
    const placed = g.node(node.id);
    const width = node.type === "dataset" ? NODE_WIDTH : TEAM_WIDTH;
    const height = node.type === "dataset" ? datasetHeight(node.data) : TEAM_HEIGHT;
    const position = { x: (placed?.x ?? 0) - width / 2, y: (placed?.y ?? 0) - height / 2 };
    return node.type === "dataset"
      ? { id: node.id, type: "dataset", position, data: { ...node.data } }
      : { id: node.id, type: "team", position, data: { name: node.data.name } };
  });

  const fieldsOf = new Map(nodes.filter((n) => n.type === "dataset").map((n) => [n.id, new Set(n.data.fields.map((f) => f.name))]));
  const flowEdges: Edge[] = edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .map((edge) => {
      if (edge.type === "foreign_key") {
        const from = fieldsOf.get(edge.source)?.has(edge.data.from_field);
        const to = fieldsOf.get(edge.target)?.has(edge.data.to_field);
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          sourceHandle: from ? `${edge.data.from_field}-out` : "node-out",
          targetHandle: to ? `${edge.data.to_field}-in` : "node-in",
          label: edge.label,
          type: "smoothstep",
          className: "erd-fk-edge",
          style: { stroke: "var(--color-chart-1)", strokeWidth: 1.6, strokeDasharray: edge.missing || edge.data.missing_field ? "4 3" : undefined },
          labelStyle: { fontSize: 11, fill: "var(--color-muted-foreground)" },
          labelBgStyle: { fill: "var(--color-background)" },
          data: { kind: "foreign_key" },
        } satisfies Edge;
      }
      return {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        sourceHandle: "team-out",
        targetHandle: "node-in",
        label: edge.data.fields_used.length ? `${edge.data.fields_used.length} fields` : "all fields",
        type: "default",
        className: "erd-subscription-edge",
        style: { stroke: "var(--color-chart-3)", strokeWidth: 1.3, strokeDasharray: "6 4" },
        labelStyle: { fontSize: 10, fill: "var(--color-muted-foreground)" },
        labelBgStyle: { fill: "var(--color-background)" },
        data: { kind: "subscription" },
      } satisfies Edge;
    });
  return { nodes: flowNodes, edges: flowEdges };
}
