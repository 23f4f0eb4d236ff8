import { Plug } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import type { AccessConfig } from "@/types/api";
import { DefinitionList } from "./definition-list";

export function AccessTab({ access }: { access: AccessConfig | null | undefined }) {
  if (!access) {
    return (
      <EmptyState icon={Plug} title="No access configured">
        Add the endpoint subscribers read from; the compliance monitor also polls it for availability and schema checks.
      </EmptyState>
    );
  }
  return (
    <Card>
      <CardContent>
        <DefinitionList
          items={[
            ["Endpoint", <code key="e" className="break-all">{access.endpoint_url}</code>],
            [
              "Methods",
              <div key="m" className="flex gap-1">
                {(access.methods ?? ["GET"]).map((m) => (
                  <Badge key={m} variant="outline" className="font-mono">
                    {m}
                  </Badge>
                ))}
              </div>,
            ],
            ["Authentication", access.auth_type ?? "none"],
            ["Required scopes", access.required_scopes?.length ? access.required_scopes.join(", ") : null],
            ["Rate limit", access.rate_limit ?? null],
          ]}
        />
      </CardContent>
    </Card>
  );
}
