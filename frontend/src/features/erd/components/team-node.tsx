import { Handle, Position, type NodeProps } from "@xyflow/react";
import { Users } from "lucide-react";
import { memo } from "react";
import { TEAM_WIDTH, type TeamFlowNode } from "../lib/layout";

function TeamNodeView({ data }: NodeProps<TeamFlowNode>) {
  return (
    <div style={{ width: TEAM_WIDTH }} className="flex h-10 cursor-pointer items-center gap-2 rounded-full border border-chart-3 bg-background px-3 text-sm shadow-sm" data-testid="erd-team-node">
      <Users className="size-4 text-chart-3" aria-hidden />
      <span className="truncate font-medium">{data.name}</span>
      <Handle type="source" position={Position.Right} id="team-out" className="!size-1.5 !border-0 !bg-transparent" />
    </div>
  );
}

export const TeamNode = memo(TeamNodeView);
