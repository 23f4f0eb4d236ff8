import { Download } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { QueryError } from "@/components/query-error";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/api-error";
import { useTheme } from "@/lib/theme";
import { downloadText } from "@/lib/utils";
import { useErdMermaid } from "../api/get-erd-mermaid";
import type { ErdParams } from "../api/get-erd";

/** Mermaid renders the diagram to SVG itself (securityLevel strict: no HTML labels, no links). */
function MermaidDiagram({ text }: { text: string }) {
  const id = useId().replace(/[^a-zA-Z0-9]/g, "");
  const { resolved } = useTheme();
  const [svg, setSvg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    void import("mermaid").then(async ({ default: mermaid }) => {
      mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: resolved === "dark" ? "dark" : "default", er: { useMaxWidth: false } });
      try {
        const result = await mermaid.render(`erd${id}`, text);
        if (!cancelled) {
          setSvg(result.svg);
          setError(null);
        }
      } catch (e) {
        if (!cancelled) setError(errorMessage(e));
      }
    });
    return () => {
      cancelled = true;
    };
  }, [text, id, resolved]);
  if (error) return <p className="p-4 text-sm text-destructive">Mermaid could not draw this diagram: {error}</p>;
  if (!svg) return <Skeleton className="h-96" />;
  // The SVG is Mermaid's own output in strict mode (labels are text, scripts are stripped).
  return <div className="overflow-auto p-4 [&_svg]:max-w-none" data-testid="mermaid-svg" dangerouslySetInnerHTML={{ __html: svg }} />;
}

export function MermaidView({ params }: { params: ErdParams }) {
  const mermaid = useErdMermaid(params);
  if (mermaid.isPending) return <Skeleton className="h-96" />;
  if (mermaid.isError) return <QueryError error={mermaid.error} retry={() => void mermaid.refetch()} what="the Mermaid diagram" />;
  const name = `datapact-erd${params.team ? `-${params.team}` : ""}.mmd`;
  return (
    <div className="space-y-4">
      <div className="flex gap-2">
        <Button variant="outline" onClick={() => downloadText(name, mermaid.data, "text/vnd.mermaid")}>
          <Download /> Download .mmd
        </Button>
      </div>
      <Card className="overflow-hidden">
        <MermaidDiagram text={mermaid.data} />
      </Card>
      <details className="rounded-lg border">
        <summary className="cursor-pointer px-4 py-2 text-sm font-medium">Mermaid source</summary>
        <pre className="max-h-96 overflow-auto border-t p-4 font-mono text-xs" data-testid="mermaid-source">
          {mermaid.data}
        </pre>
      </details>
    </div>
  );
}
