import { Copy, Download, FileDown } from "lucide-react";
import { useMemo } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { downloadText } from "@/lib/utils";
import type { Contract } from "@/types/api";
import { useExportOdcs } from "../api/export-odcs";
import { toDocument, toYaml } from "../lib/yaml";

export function YamlTab({ contract }: { contract: Contract }) {
  const document = useMemo(() => toDocument(contract), [contract]);
  const yaml = useMemo(() => toYaml(document), [document]);
  const odcs = useExportOdcs(contract.id);
  const base = `${contract.name}-${contract.version}`;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <Button variant="outline" onClick={() => downloadText(`${base}.yaml`, yaml, "application/yaml")}>
          <Download /> Download YAML
        </Button>
        <Button variant="outline" onClick={() => downloadText(`${base}.json`, `${JSON.stringify(document, null, 2)}\n`, "application/json")}>
          <Download /> Download JSON
        </Button>
        <Button
          variant="outline"
          disabled={odcs.isPending}
          onClick={() => odcs.mutate(undefined, { onSuccess: (text) => downloadText(`${base}.odcs.yaml`, text, "application/yaml") })}
        >
          <FileDown /> Export ODCS v3
        </Button>
        <Button
          variant="ghost"
          onClick={() =>
            void navigator.clipboard.writeText(yaml).then(
              () => toast.success("YAML copied"),
              () => toast.error("Could not copy: the browser refused clipboard access"),
            )
          }
        >
          <Copy /> Copy
        </Button>
      </div>
      <Card className="overflow-hidden">
        <pre className="max-h-[40rem] overflow-auto p-4 font-mono text-xs leading-5" data-testid="contract-yaml" tabIndex={0}>
          {yaml}
        </pre>
      </Card>
    </div>
  );
}
