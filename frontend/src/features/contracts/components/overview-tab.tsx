import { Link } from "react-router";
import { StatusBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime, timeAgo } from "@/lib/format";
import type { Contract } from "@/types/api";
import { DefinitionList } from "./definition-list";

export function OverviewTab({ contract }: { contract: Contract }) {
  const { publisher } = contract;
  const pii = contract.schema.filter((f) => f.is_pii).length;
  const checks = Object.entries(contract.compliance.checks);
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>About</CardTitle>
        </CardHeader>
        <CardContent>
          <p className="mb-4 text-sm">{contract.description || <span className="text-muted-foreground">No description. Add one so consumers know what this dataset holds.</span>}</p>
          <DefinitionList
            items={[
              ["Table", <code key="t">{contract.table ?? contract.name}</code>],
              ["Fields", `${contract.schema.length} (${pii} PII)`],
              ["Quality SLAs", contract.quality?.length ?? 0],
              ["Subscribers", contract.subscribers?.length ?? 0],
              [
                "Tags",
                contract.tags?.length ? (
                  <div className="flex flex-wrap gap-1">
                    {contract.tags.map((tag) => (
                      <Link key={tag} to={`/contracts?tag=${encodeURIComponent(tag)}`}>
                        <Badge variant="outline">{tag}</Badge>
                      </Link>
                    ))}
                  </div>
                ) : null,
              ],
              ["Created", formatDateTime(contract.created_at)],
              ["Updated", `${formatDateTime(contract.updated_at)} (${timeAgo(contract.updated_at)})`],
            ]}
          />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Publisher</CardTitle>
        </CardHeader>
        <CardContent>
          <DefinitionList
            items={[
              ["Team", <Link key="team" className="text-primary hover:underline" to={`/contracts?team=${encodeURIComponent(publisher.team)}`}>{publisher.team}</Link>],
              ["Owner", publisher.owner],
              ["Contact", publisher.contact_email ? <a key="m" className="text-primary hover:underline" href={`mailto:${publisher.contact_email}`}>{publisher.contact_email}</a> : null],
              [
                "Repository",
                publisher.repository_url && /^https?:\/\//.test(publisher.repository_url) ? (
                  <a key="r" className="text-primary hover:underline" href={publisher.repository_url} target="_blank" rel="noreferrer noopener">
                    {publisher.repository_url}
                  </a>
                ) : (publisher.repository_url ?? null),
              ],
            ]}
          />
        </CardContent>
      </Card>
      <Card className="lg:col-span-2">
        <CardHeader>
          <CardTitle>Latest checks</CardTitle>
        </CardHeader>
        <CardContent>
          {checks.length === 0 ? (
            <p className="text-sm text-muted-foreground">Not checked yet. Open the Compliance tab and run the checks now.</p>
          ) : (
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {checks.map(([type, check]) => (
                <li key={type} className="rounded-lg border p-3">
                  <div className="flex items-center justify-between">
                    <span className="font-medium capitalize">{type}</span>
                    <StatusBadge status={check?.status} />
                  </div>
                  <p className="mt-1 text-xs text-muted-foreground">checked {timeAgo(check?.checked_at)}</p>
                  {check?.error_message && <p className="mt-1 text-xs break-words">{check.error_message}</p>}
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
      {contract.metadata && Object.keys(contract.metadata).length > 0 && (
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Metadata</CardTitle>
          </CardHeader>
          <CardContent>
            <DefinitionList items={Object.entries(contract.metadata).map(([k, v]) => [k, typeof v === "string" ? v : <code key={k}>{JSON.stringify(v)}</code>])} />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
