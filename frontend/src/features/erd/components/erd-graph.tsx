import { Background, Controls, MiniMap, ReactFlow, type NodeMouseHandler } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo } from "react";
import { useNavigate } from "react-router";
import { useTheme } from "@/lib/theme";
import type { ErdGraph } from "@/types/api";
import { layoutErd, type ErdFlowNode } from "../lib/layout";
import { DatasetNode } from "./dataset-node";
import { TeamNode } from "./team-node";

const nodeTypes = { dataset: DatasetNode, team: TeamNode };

/** The React Flow canvas (its own chunk). Clicking a dataset opens its contract. */
export default function ErdGraphView({ graph, subscriptions }: { graph: ErdGraph; subscriptions: boolean }) {
  const navigate = useNavigate();
  const { resolved } = useTheme();
  const { nodes, edges } = useMemo(() => layoutErd(graph, { subscriptions }), [graph, subscriptions]);
  const onNodeClick: NodeMouseHandler<ErdFlowNode> = (_, node) => {
    if (node.type === "dataset" && !node.data.missing) void navigate(`/contracts/name/${encodeURIComponent(node.data.name)}?tab=schema`);
    if (node.type === "team") void navigate(`/erd?team=${encodeURIComponent(node.data.name)}`);
  };
  return (
    <div className="h-[calc(100vh-15rem)] min-h-[28rem] rounded-lg border bg-muted/20" data-testid="erd-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodeClick={onNodeClick}
        colorMode={resolved}
        fitView
        fitViewOptions={{ padding: 0.08, minZoom: 0.45 }}
        minZoom={0.1}
        nodesConnectable={false}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeColor={(node) => (node.type === "team" ? "#f59e0b" : "#6366f1")} nodeStrokeWidth={2} className="!hidden md:!block" />
      </ReactFlow>
    </div>
  );
}
