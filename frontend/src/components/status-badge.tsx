import { AlertTriangle, CheckCircle2, CircleHelp, XCircle, type LucideIcon } from "lucide-react";
import { Badge, type BadgeVariant } from "@/components/ui/badge";

const STATUS: Record<string, { variant: BadgeVariant; icon?: LucideIcon; label?: string }> = {
  pass: { variant: "success", icon: CheckCircle2 },
  fail: { variant: "destructive", icon: XCircle },
  error: { variant: "destructive", icon: AlertTriangle },
  warning: { variant: "warning", icon: AlertTriangle },
  unknown: { variant: "muted", icon: CircleHelp, label: "not checked" },
  active: { variant: "success" },
  draft: { variant: "secondary" },
  deprecated: { variant: "muted" },
  sent: { variant: "success" },
  pending: { variant: "secondary" },
  sending: { variant: "secondary" },
  failed: { variant: "destructive" },
  suppressed: { variant: "muted" },
  breaking: { variant: "destructive" },
  info: { variant: "secondary" },
  critical: { variant: "destructive" },
  major: { variant: "destructive" },
  minor: { variant: "warning" },
  patch: { variant: "secondary" },
  none: { variant: "muted" },
  open: { variant: "warning" },
  approved: { variant: "success", icon: CheckCircle2 },
  objected: { variant: "destructive", icon: XCircle },
  published: { variant: "success" },
  superseded: { variant: "muted" },
  withdrawn: { variant: "muted" },
  stale: { variant: "muted" },
};

export function StatusBadge({ status, label }: { status: string | null | undefined; label?: string }) {
  const key = status ?? "unknown";
  const config = STATUS[key] ?? { variant: "outline" as const };
  const Icon = config.icon;
  return (
    <Badge variant={config.variant} data-status={key}>
      {Icon && <Icon aria-hidden />}
      {label ?? config.label ?? key.replace(/_/g, " ")}
    </Badge>
  );
}
