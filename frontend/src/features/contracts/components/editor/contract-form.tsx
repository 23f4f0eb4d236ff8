import { Plus, Trash2 } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { pluralize } from "@/lib/format";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { AUTH_TYPES, CONTRACT_STATUSES, METRIC_TYPES, type AccessConfig, type ContractDocument, type ContractField, type QualityMetric, type Subscriber } from "@/types/api";
import { emptyField } from "../../lib/document-edit";
import { CheckControl, ListControl, SelectControl, TextControl } from "./controls";
import { FieldEditor } from "./field-editor";
import { FieldIssues } from "./issue-context";

const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

function Section({ title, description, loc, children, action }: { title: string; description?: string; loc?: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Card id={loc ? `doc-${loc}` : undefined} tabIndex={loc ? -1 : undefined}>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="space-y-1.5">
          <CardTitle>{title}</CardTitle>
          {description && <CardDescription>{description}</CardDescription>}
          {loc && <FieldIssues loc={loc} />}
        </div>
        {action}
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

export function ContractForm({ doc, onChange, isEdit }: { doc: ContractDocument; onChange: (doc: ContractDocument) => void; isEdit: boolean }) {
  const set = <K extends keyof ContractDocument>(key: K, value: ContractDocument[K]) => onChange({ ...doc, [key]: value });
  const schema = doc.schema ?? [];
  const quality = doc.quality ?? [];
  const subscribers = doc.subscribers ?? [];
  const setField = (i: number, field: ContractField) => set("schema", schema.map((f, k) => (k === i ? field : f)));
  const moveField = (i: number, offset: number) => {
    const next = [...schema];
    const [moved] = next.splice(i, 1);
    if (moved) next.splice(i + offset, 0, moved);
    set("schema", next);
  };
  const setMetric = (i: number, metric: QualityMetric) => set("quality", quality.map((m, k) => (k === i ? metric : m)));
  const setSubscriber = (i: number, sub: Subscriber) => set("subscribers", subscribers.map((s, k) => (k === i ? sub : s)));
  const setAccess = (access: AccessConfig | null) => set("access", access ?? undefined);
  const access = doc.access ?? null;
  const unusedMetric = METRIC_TYPES.find((m) => !quality.some((q) => q.metric_type === m));
  const fieldNames = schema.map((f) => f.name).filter(Boolean);

  return (
    <div className="space-y-6" data-testid="contract-form">
      <FieldIssues loc="(document)" />
      <Section title="Contract" description="What the dataset is and which version this document is.">
        <div className="grid gap-4 md:grid-cols-3">
          <TextControl loc="name" label="Name" value={doc.name} mono required onChange={(v) => set("name", v)} placeholder="customer_orders" hint={isEdit ? "Renaming breaks everyone who refers to this name." : "lower case, digits and _"} />
          <TextControl loc="version" label="Version" value={doc.version} mono required onChange={(v) => set("version", v)} placeholder="1.0.0" hint="semantic version" />
          <SelectControl loc="status" label="Status" value={doc.status ?? "active"} options={CONTRACT_STATUSES} onChange={(v) => set("status", v)} />
          <TextControl loc="description" label="Description" className="md:col-span-3" multiline value={doc.description ?? ""} onChange={(v) => set("description", v)} />
          <TextControl loc="table" label="Table" value={doc.table ?? ""} mono onChange={(v) => set("table", v)} placeholder={doc.name || "same as the name"} hint="physical table in the data service" />
          <ListControl loc="tags" label="Tags" className="md:col-span-2" value={doc.tags} onChange={(v) => set("tags", v)} placeholder="sales, core" hint="comma-separated" />
        </div>
      </Section>

      <Section title="Publisher" description="The team that owns the dataset and answers for it." loc="publisher">
        <div className="grid gap-4 md:grid-cols-2">
          <TextControl loc="publisher.team" label="Team" required value={doc.publisher?.team} onChange={(v) => set("publisher", { ...doc.publisher, team: v })} placeholder="commerce" />
          <TextControl loc="publisher.owner" label="Owner" required value={doc.publisher?.owner} onChange={(v) => set("publisher", { ...doc.publisher, owner: v })} placeholder="Jane Doe" />
          <TextControl loc="publisher.contact_email" label="Contact e-mail" type="email" value={doc.publisher?.contact_email ?? ""} onChange={(v) => set("publisher", { ...doc.publisher, contact_email: v })} />
          <TextControl loc="publisher.repository_url" label="Repository URL" value={doc.publisher?.repository_url ?? ""} onChange={(v) => set("publisher", { ...doc.publisher, repository_url: v })} />
        </div>
      </Section>

      <Section
        title={`Schema (${pluralize(schema.length, "field")})`}
        description="The fields consumers can rely on."
        loc="schema"
        action={
          <Button variant="outline" size="sm" onClick={() => set("schema", [...schema, emptyField()])}>
            <Plus /> Field
          </Button>
        }
      >
        <div className="space-y-4">
          {schema.map((field, i) => (
            <FieldEditor key={i} index={i} field={field} count={schema.length} onChange={(f) => setField(i, f)} onRemove={() => set("schema", schema.filter((_, k) => k !== i))} onMove={(o) => moveField(i, o)} />
          ))}
          <Button variant="outline" onClick={() => set("schema", [...schema, emptyField()])}>
            <Plus /> Add a field
          </Button>
        </div>
      </Section>

      <Section
        title="Quality SLAs"
        description="Thresholds the monitor checks: durations like “15 minutes” for freshness, percentages like “99.5%” otherwise."
        loc="quality"
        action={
          unusedMetric && (
            <Button variant="outline" size="sm" onClick={() => set("quality", [...quality, { metric_type: unusedMetric, threshold: unusedMetric === "freshness" ? "1 hour" : "99%" }])}>
              <Plus /> SLA
            </Button>
          )
        }
      >
        {quality.length === 0 ? (
          <p className="text-sm text-muted-foreground">No SLA yet.</p>
        ) : (
          <div className="space-y-3">
            {quality.map((m, i) => (
              <div key={i} className="grid items-start gap-3 md:grid-cols-[10rem_10rem_1fr_auto_auto]" id={`doc-quality.${i}`} tabIndex={-1}>
                <SelectControl loc={`quality.${i}.metric_type`} label="Metric" value={m.metric_type} options={METRIC_TYPES} onChange={(v) => setMetric(i, { ...m, metric_type: v })} />
                <TextControl loc={`quality.${i}.threshold`} label="Threshold" mono value={m.threshold} onChange={(v) => setMetric(i, { ...m, threshold: v })} />
                <TextControl loc={`quality.${i}.measurement_method`} label="Measured by" value={m.measurement_method ?? ""} onChange={(v) => setMetric(i, { ...m, measurement_method: v })} />
                <div className="mt-7">
                  <CheckControl loc={`quality.${i}.alert_on_breach`} label="Alert" checked={m.alert_on_breach !== false} onChange={(v) => setMetric(i, { ...m, alert_on_breach: v })} />
                </div>
                <Button variant="ghost" size="icon" className="mt-6" aria-label={`Remove ${m.metric_type} SLA`} onClick={() => set("quality", quality.filter((_, k) => k !== i))}>
                  <Trash2 />
                </Button>
                <div className="md:col-span-5">
                  <FieldIssues loc={`quality.${i}`} />
                </div>
              </div>
            ))}
          </div>
        )}
      </Section>

      <Section
        title="Access"
        description="Where subscribers read the data; the monitor polls it."
        loc="access"
        action={
          access ? (
            <Button variant="ghost" size="sm" onClick={() => setAccess(null)}>
              Remove access
            </Button>
          ) : (
            <Button variant="outline" size="sm" onClick={() => setAccess({ endpoint_url: "", methods: ["GET"], auth_type: "none" })}>
              <Plus /> Access
            </Button>
          )
        }
      >
        {access ? (
          <div className="grid gap-4 md:grid-cols-2">
            <TextControl loc="access.endpoint_url" label="Endpoint URL" mono className="md:col-span-2" value={access.endpoint_url} onChange={(v) => setAccess({ ...access, endpoint_url: v })} placeholder="http://127.0.0.1:8003" />
            <div className="space-y-1.5 md:col-span-2">
              <span className="text-sm font-medium">Methods</span>
              <div className="flex flex-wrap gap-4" id="doc-access.methods" tabIndex={-1}>
                {HTTP_METHODS.map((method) => {
                  const methods = access.methods ?? ["GET"];
                  const id = `access-method-${method}`;
                  return (
                    <label key={method} htmlFor={id} className="flex items-center gap-2 font-mono text-sm">
                      <Checkbox id={id} checked={methods.includes(method)} onCheckedChange={(v) => setAccess({ ...access, methods: v === true ? [...methods, method] : methods.filter((m) => m !== method) })} />
                      {method}
                    </label>
                  );
                })}
              </div>
              <FieldIssues loc="access.methods" />
            </div>
            <SelectControl loc="access.auth_type" label="Authentication" value={access.auth_type ?? "none"} options={AUTH_TYPES} onChange={(v) => setAccess({ ...access, auth_type: v })} />
            <TextControl loc="access.rate_limit" label="Rate limit" value={access.rate_limit ?? ""} onChange={(v) => setAccess({ ...access, rate_limit: v })} placeholder="100 requests/minute" />
            <ListControl loc="access.required_scopes" label="Required scopes" className="md:col-span-2" value={access.required_scopes} onChange={(v) => setAccess({ ...access, required_scopes: v })} placeholder="orders:read" />
          </div>
        ) : (
          <p className="text-sm text-muted-foreground">No access endpoint: availability and schema drift cannot be monitored.</p>
        )}
      </Section>

      <Section
        title="Subscribers"
        description="Teams that read the dataset and the fields they use (empty = every field). Joining or leaving needs no new version."
        loc="subscribers"
        action={
          <Button variant="outline" size="sm" onClick={() => set("subscribers", [...subscribers, { team: "", fields_used: [] }])}>
            <Plus /> Subscriber
          </Button>
        }
      >
        {subscribers.length === 0 ? (
          <p className="text-sm text-muted-foreground">No subscriber yet.</p>
        ) : (
          <div className="space-y-4">
            {subscribers.map((s, i) => (
              <div key={i} className="grid items-start gap-3 rounded-lg border p-3 md:grid-cols-3" id={`doc-subscribers.${i}`} tabIndex={-1}>
                <TextControl loc={`subscribers.${i}.team`} label="Team" value={s.team} onChange={(v) => setSubscriber(i, { ...s, team: v })} />
                <TextControl loc={`subscribers.${i}.use_case`} label="Use case" value={s.use_case ?? ""} onChange={(v) => setSubscriber(i, { ...s, use_case: v })} />
                <TextControl loc={`subscribers.${i}.contact_email`} label="Contact e-mail" type="email" value={s.contact_email ?? ""} onChange={(v) => setSubscriber(i, { ...s, contact_email: v })} />
                <ListControl
                  loc={`subscribers.${i}.fields_used`}
                  label="Fields used"
                  className="md:col-span-2"
                  value={s.fields_used}
                  onChange={(v) => setSubscriber(i, { ...s, fields_used: v })}
                  placeholder={fieldNames.slice(0, 3).join(", ")}
                  hint={`comma-separated; known fields: ${fieldNames.join(", ") || "none yet"}`}
                />
                <div className="flex justify-end md:mt-6">
                  <Button variant="ghost" size="sm" className="text-destructive" onClick={() => set("subscribers", subscribers.filter((_, k) => k !== i))}>
                    <Trash2 /> Remove
                  </Button>
                </div>
                <div className="md:col-span-3">
                  <FieldIssues loc={`subscribers.${i}`} />
                </div>
              </div>
            ))}
          </div>
        )}
      </Section>
      <p className="text-xs text-muted-foreground">Metadata and anything the form does not show are kept as they are; edit them in the YAML view.</p>
    </div>
  );
}
