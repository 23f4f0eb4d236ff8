import { Handle, Position, type NodeProps } from "@xyflow/react";
import { Fingerprint, KeyRound, Link2 } from "lucide-react";
import { memo } from "react";
import { cn } from "@/lib/utils";
import { NODE_WIDTH, type DatasetFlowNode } from "../lib/layout";

const hidden = "!size-1.5 !min-w-0 !border-0 !bg-transparent";

function DatasetNodeView({ data, selected }: NodeProps<DatasetFlowNode>) {
  return (
    <div
      style={{ width: NODE_WIDTH }}
      className={cn(
        "rounded-lg border bg-card text-card-foreground shadow-sm",
        data.missing && "border-dashed opacity-70",
        selected && "ring-2 ring-ring",
        data.status === "deprecated" && "opacity-60",
      )}
      data-testid="erd-node"
      data-name={data.name}
    >
      <Handle type="target" position={Position.Left} id="node-in" className={hidden} style={{ top: 24 }} />
      <Handle type="source" position={Position.Right} id="node-out" className={hidden} style={{ top: 24 }} />
      <div className="cursor-pointer rounded-t-lg border-b bg-primary/10 px-3 py-1.5">
        <div className="truncate font-mono text-sm font-semibold">{data.name}</div>
        <div className="truncate text-[11px] text-muted-foreground">{data.missing ? "not in the registry" : `${data.team ?? "?"} · v${data.version ?? "?"}${data.status && data.status !== "active" ? ` · ${data.status}` : ""}`}</div>
      </div>
      <ul className="py-1">
        {data.fields.map((field) => (
          <li key={field.name} className="relative flex h-6 items-center gap-1.5 px-3 text-xs">
            <Handle type="target" position={Position.Left} id={`${field.name}-in`} className={hidden} />
            <span className="flex w-7 shrink-0 gap-0.5 text-muted-foreground">
              {field.is_primary_key && <KeyRound className="size-3 text-primary" aria-label="primary key" />}
              {field.is_foreign_key && <Link2 className="size-3 text-chart-1" aria-label="foreign key" />}
            </span>
            <span className={cn("truncate font-mono", field.is_primary_key && "font-semibold")}>{field.name}</span>
            {field.is_pii && <Fingerprint className="size-3 shrink-0 text-warning" aria-label="PII" />}
            <span className="ml-auto shrink-0 font-mono text-[10px] text-muted-foreground">
              {field.data_type}
              {field.nullable ? "?" : ""}
            </span>
            <Handle type="source" position={Position.Right} id={`${field.name}-out`} className={hidden} />
          </li>
        ))}
        {data.fields.length === 0 && <li className="px-3 text-xs text-muted-foreground">no fields known</li>}
      </ul>
    </div>
  );
}

export const DatasetNode = memo(DatasetNodeView);
