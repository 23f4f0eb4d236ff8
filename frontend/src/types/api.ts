// The services' API types. The contract document mirrors
// datapact_common.contract_schema.ContractDefinition; src/types/api.test.ts checks these
// against the services' OpenAPI documents committed in src/types/openapi/.

export type DataType =
  | "string"
  | "integer"
  | "float"
  | "decimal"
  | "boolean"
  | "date"
  | "datetime"
  | "timestamp"
  | "uuid"
  | "json"
  | "array"
  | "binary"
  | "enum"
  | "full_text";
export const DATA_TYPES: DataType[] = [
  "string",
  "integer",
  "float",
  "decimal",
  "boolean",
  "date",
  "datetime",
  "timestamp",
  "uuid",
  "json",
  "array",
  "binary",
  "enum",
  "full_text",
];

export type ContractStatus = "active" | "deprecated" | "draft";
export const CONTRACT_STATUSES: ContractStatus[] = ["active", "draft", "deprecated"];

export type ConstraintType = "min" | "max" | "min_length" | "max_length" | "regex" | "enum" | "expression";
export const CONSTRAINT_TYPES: ConstraintType[] = ["min", "max", "min_length", "max_length", "regex", "enum", "expression"];

export type MetricType = "freshness" | "completeness" | "accuracy" | "availability" | "uniqueness" | "volume";
export const METRIC_TYPES: MetricType[] = ["freshness", "completeness", "accuracy", "availability", "uniqueness", "volume"];

export type AuthType = "none" | "api_key" | "oauth2" | "basic" | "jwt";
export const AUTH_TYPES: AuthType[] = ["none", "api_key", "oauth2", "basic", "jwt"];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface FieldConstraint {
  type: ConstraintType;
  value: JsonValue;
  message?: string | null;
}

export interface ContractField {
  name: string;
  data_type: DataType;
  description?: string | null;
  nullable?: boolean;
  is_pii?: boolean;
  is_primary_key?: boolean;
  is_foreign_key?: boolean;
  foreign_key_reference?: string | null;
  unique?: boolean;
  example_value?: JsonValue;
  constraints?: FieldConstraint[];
  /** ODCS data classification, e.g. public, internal, restricted */
  classification?: string | null;
  /** the column's name in the physical table when it differs (ODCS `physicalName`) */
  physical_name?: string | null;
  /** the column's type as the database spells it (ODCS `physicalType`) */
  physical_type?: string | null;
  /** on its way out: since when, the day it may be removed, what to read instead */
  deprecated?: FieldDeprecation | null;
  /** ODCS quality rules on this field (nullValues, invalidValues, ...), each with one threshold */
  quality_rules?: Record<string, JsonValue>[];
}

export interface FieldDeprecation {
  since?: string | null;
  sunset?: string | null;
  replacement?: string | null;
}

/** How a breaking change reaches the teams it breaks (docs/workflow.md). */
export interface ChangePolicy {
  notice_days: number;
  require_approval: boolean;
}

export interface QualityMetric {
  metric_type: MetricType;
  threshold: string;
  measurement_method?: string | null;
  alert_on_breach?: boolean;
  /** completeness and uniqueness: the fields the SLA applies to (default all) */
  fields?: string[] | null;
}

export interface AccessConfig {
  endpoint_url: string;
  methods?: string[];
  auth_type?: AuthType;
  required_scopes?: string[];
  rate_limit?: string | null;
}

export interface Subscriber {
  team: string;
  use_case?: string | null;
  fields_used?: string[];
  contact_email?: string | null;
}

export interface Publisher {
  team: string;
  owner: string;
  repository_url?: string | null;
  contact_email?: string | null;
}

/** The contract document (what you PUT is what you GET, minus the read-only keys). */
export interface ContractDocument {
  name: string;
  version: string;
  description?: string | null;
  status?: ContractStatus;
  table?: string | null;
  publisher: Publisher;
  schema: ContractField[];
  quality?: QualityMetric[];
  access?: AccessConfig | null;
  subscribers?: Subscriber[];
  tags?: string[];
  metadata?: Record<string, JsonValue>;
  /** the ODCS document this contract was imported from (identity and what DataPact keeps verbatim) */
  odcs?: OdcsSource | null;
  /** absent: a breaking change is published as it is PUT */
  change_policy?: ChangePolicy | null;
  /** ODCS quality rules on the table (rowCount, duplicateValues, sql), each with one threshold */
  quality_rules?: Record<string, JsonValue>[];
}

export interface OdcsSource {
  id: string;
  object: string;
  document?: Record<string, JsonValue>;
  imported?: Record<string, JsonValue>;
  schema_object?: Record<string, JsonValue>;
  properties?: Record<string, JsonValue>[];
}

export type CheckType = "schema" | "freshness" | "completeness" | "uniqueness" | "availability" | "accuracy" | "validity" | "volume";
export const CHECK_TYPES: CheckType[] = ["schema", "freshness", "completeness", "uniqueness", "availability", "accuracy", "validity", "volume"];
export type CheckStatus = "pass" | "fail" | "warning" | "error";
export type ComplianceStatus = CheckStatus | "unknown";

export interface CheckSummary {
  status: CheckStatus;
  checked_at: string;
  error_message?: string | null;
  /** validity: each value rule of the latest observation, keyed by its id (`price:min`) */
  rules?: Record<string, RuleSummary> | null;
}

export interface RuleSummary {
  status: CheckStatus;
  checked_at: string;
  error_message?: string | null;
  field?: string | null;
  rule?: string | null;
  violations?: number | null;
}

export interface ContractCompliance {
  status: ComplianceStatus;
  checks: Partial<Record<string, CheckSummary>>;
}

export interface Contract extends ContractDocument {
  status: ContractStatus;
  id: string;
  created_at: string;
  updated_at: string;
  compliance: ContractCompliance;
}

/** The contract list's server-side orders (`GET /api/v1/contracts?sort=&order=`). */
export type ContractSort = "name" | "team" | "status" | "version" | "compliance" | "fields" | "updated";
export const CONTRACT_SORTS: ContractSort[] = ["name", "team", "status", "version", "compliance", "fields", "updated"];
export type SortOrder = "asc" | "desc";

export interface ContractList {
  contracts: Contract[];
  total: number;
  skip: number;
  limit: number;
  next_cursor?: string | null;
}

export interface ValidationIssue {
  loc: string;
  message: string;
  type: string;
}

export interface ValidationReport {
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}

/** POST /api/v1/drafts/from-sql: contract drafts from DDL (contract_service.drafts) */
export type SqlDialect = "postgres" | "postgresql" | "mysql" | "mariadb" | "duckdb";

export interface DraftFromSqlRequest {
  sql: string;
  dialect?: SqlDialect;
  tables?: string[];
  team?: string | null;
  owner?: string | null;
}

export interface DraftItem {
  name: string;
  table: string;
  kind: string;
  document: ContractDocument;
  yaml: string;
  left_out: string[];
}

export interface DraftFromSqlResult {
  drafts: DraftItem[];
  problems: string[];
  notes: string[];
}

export type Severity = "info" | "warning" | "breaking";
export type Bump = "none" | "patch" | "minor" | "major";

export interface Change {
  kind: string;
  severity: Severity;
  path: string;
  field?: string | null;
  message: string;
  old?: JsonValue;
  new?: JsonValue;
  affected_subscribers?: string[];
  versioned?: boolean;
}

/** datapact_common.diff.ChangeReport */
export interface ChangeReport {
  old_version: string;
  new_version: string;
  changes: Change[];
  required_bump: Bump;
  actual_bump: Bump | null;
  bump_ok: boolean;
  violation?: string | null;
}

export interface VersionEntry {
  version: string;
  changed_by: string | null;
  change_summary: string | null;
  created_at: string;
  changes: Change[];
}

export interface VersionList {
  contract_id?: string;
  name?: string;
  current_version?: string;
  versions: VersionEntry[];
}

// ---- contract-service: change proposals and field sunsets (docs/workflow.md) -----------
export const PROPOSAL_STATUSES = ["open", "published", "superseded", "withdrawn", "stale"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];
export type AnswerKind = "approved" | "objected";

/** An affected team's latest answer */
export interface TeamAnswer {
  team: string;
  answer: AnswerKind | "pending";
  comment?: string | null;
  answered_by?: string | null;
  answered_at?: string | null;
}

/** One answer as given (the history keeps every one) */
export interface AnswerRecord {
  team: string;
  answer: AnswerKind;
  comment?: string | null;
  answered_by: string;
  answered_at: string;
}

/** The policy's verdict now */
export interface Verdict {
  publishable: boolean;
  reason: string;
  /** e.g. "2 of 3 affected teams approved; `finance` pending" */
  summary: string;
  approved: string[];
  objected: string[];
  pending: string[];
  notice_ends_at?: string | null;
}

export interface ProposalOverride {
  by: string;
  reason?: string | null;
}

export interface Proposal {
  id: string;
  contract_id: string;
  contract_name: string;
  base_version: string;
  proposed_version: string;
  status: ProposalStatus;
  proposed_by: string;
  created_at: string;
  updated_at: string;
  closed_at?: string | null;
  closed_by?: string | null;
  /** why, when no person decided it: "pull request #12 closed unmerged" */
  closed_reason?: string | null;
  superseded_by?: string | null;
  policy: Record<string, JsonValue> | null;
  changes: Change[];
  affected_teams: string[];
  answers: TeamAnswer[];
  history: AnswerRecord[];
  verdict: Verdict;
  override?: ProposalOverride | null;
  /** the proposed document: in the single-proposal read only */
  document?: ContractDocument | null;
}

export interface ProposalList {
  contract_id?: string | null;
  name?: string | null;
  proposals: Proposal[];
}

export interface AnswerRequest {
  team: string;
  comment: string | null;
}

/** `POST /api/v1/proposals/{id}/publish`: empty, or an admin's override with the reason */
export interface PublishRequest {
  override?: boolean;
  reason?: string | null;
}

/** The 409 of a publish the change policy refuses: the verdict at that moment */
export interface PublishRefusal extends Partial<Verdict> {
  detail: string;
  proposal_id?: string;
}

export interface DeprecatedField {
  field: string;
  since?: string | null;
  sunset?: string | null;
  replacement?: string | null;
  /** days to the sunset (negative: past it) */
  days_left: number | null;
  /** subscribers whose fields_used still name it */
  not_migrated: string[];
  migrated: string[];
  /** notice, 14d, 7d, 1d: those sent */
  reminders_sent: string[];
}

export interface DeprecationList {
  contract_id: string;
  name: string;
  fields: DeprecatedField[];
}

export interface ComplianceCheck {
  id: string;
  contract_id: string;
  contract_version: string | null;
  recorded_at: string;
  recorded_by: string | null;
  check_type: CheckType;
  /** the value rule a validity result judges (`price:min`), else null */
  rule: string | null;
  status: CheckStatus;
  details: Record<string, JsonValue> | null;
  error_message: string | null;
  checked_at: string;
}

export interface ComplianceCheckPage {
  checks: ComplianceCheck[];
  total: number;
  skip: number;
  limit: number;
}

// ---- contract-service: compliance across contracts ------------------------------------
export interface ContractComplianceRow {
  contract_id: string;
  contract_name: string;
  version: string;
  team: string;
  contract_status: string;
  status: ComplianceStatus;
  checks: Partial<Record<string, CheckSummary>>;
}

export interface ComplianceSummary {
  totals: Record<string, number>;
  by_check_type: Record<string, Record<string, number>>;
  contracts: ContractComplianceRow[];
  total: number;
  skip: number;
  limit: number;
}

export interface TrendPoint {
  date: string;
  total: number;
  passed: number;
  failed: number;
  warnings: number;
  errors: number;
  pass_rate: number | null;
}

export interface ComplianceTrend {
  days: number;
  check_type: string | null;
  contract_id: string | null;
  points: TrendPoint[];
}

// ---- compliance-monitor ---------------------------------------------------------------
export interface CheckResult {
  check_type: string;
  status: CheckStatus;
  details: Record<string, JsonValue>;
  error_message: string | null;
  checked_at: string;
  fields: string[];
  rule?: string | null;
}

export interface RunResponse {
  contract_id: string;
  contract_name: string;
  endpoint: string | null;
  results: CheckResult[];
  recorded: number;
  events: string[];
}

// ---- dictionary-service ---------------------------------------------------------------
export interface DictionarySummary {
  summary: { total_datasets: number; total_fields: number; total_teams: number; pii_field_count: number };
  datasets_by_status: Record<string, number>;
  fields_by_data_type: Record<string, number>;
  teams: string[];
  sync: { last_success_at?: string | null; last_error?: string | null };
}

export type HitKind = "dataset" | "field";

export interface SearchHit {
  kind: HitKind;
  dataset: string;
  field: string | null;
  data_type: string | null;
  description: string | null;
  is_pii: boolean | null;
  is_primary_key: boolean | null;
  is_foreign_key: boolean | null;
  foreign_key_reference: string | null;
  team: string;
  tags: string[];
  status: string;
  version: string;
  exact: boolean;
  score: number;
  highlights: { name: string; description?: string | null };
}

export interface SearchFacets {
  kind: Record<string, number>;
  data_type: Record<string, number>;
  is_pii: Record<string, number>;
  team: Record<string, number>;
  tag: Record<string, number>;
  status: Record<string, number>;
}

export interface SearchResponse {
  query: string;
  total: number;
  skip: number;
  limit: number;
  results: SearchHit[];
  facets: SearchFacets;
}

export interface ErdField {
  name: string;
  data_type: string;
  nullable: boolean;
  is_primary_key: boolean;
  is_foreign_key: boolean;
  is_pii: boolean;
  references: string | null;
}

export interface DatasetNodeData {
  name: string;
  missing: boolean;
  team?: string | null;
  status?: string | null;
  version?: string | null;
  description?: string | null;
  fields: ErdField[];
}

export interface ErdDatasetNode {
  id: string;
  type: "dataset";
  position: { x: number; y: number };
  data: DatasetNodeData;
}

export interface ErdTeamNode {
  id: string;
  type: "team";
  position: { x: number; y: number };
  data: { name: string };
}

export interface ErdForeignKeyEdge {
  id: string;
  type: "foreign_key";
  source: string;
  target: string;
  label: string;
  missing: boolean;
  data: { from_field: string; to_field: string; cardinality: "many-to-one" | "one-to-one"; optional: boolean; missing_field: boolean };
}

export interface ErdSubscriptionEdge {
  id: string;
  type: "subscription";
  source: string;
  target: string;
  label: string;
  missing: boolean;
  data: { team: string; use_case: string | null; fields_used: string[] };
}

export interface ErdGraph {
  nodes: (ErdDatasetNode | ErdTeamNode)[];
  edges: (ErdForeignKeyEdge | ErdSubscriptionEdge)[];
  /** datasets the filter selected, drawn or not */
  total_datasets: number;
  /** more were selected than one ERD draws (DICTIONARY_ERD_MAX_*); `message` says how to filter */
  truncated: boolean;
  message?: string | null;
}

// ---- notification-service -------------------------------------------------------------
export const EVENT_TYPES = [
  "schema_drift",
  "quality_breach",
  "availability_breach",
  "compliance_recovered",
  "pr_blocked",
  "breaking_change_proposed",
  "contract_updated",
  "deprecation_warning",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const NOTIFICATION_STATUSES = ["pending", "sending", "sent", "failed", "suppressed"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export const EVENT_SEVERITIES = ["info", "warning", "critical"] as const;
export type EventSeverity = (typeof EVENT_SEVERITIES)[number];

export interface Notification {
  id: string;
  event_id: string | null;
  event_type: string;
  contract_name: string | null;
  severity: string;
  channel: string;
  recipient: string;
  reason: string;
  subject: string;
  status: string;
  suppressed_reason: string | null;
  note: string | null;
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  next_attempt_at: string;
  digest_id: string | null;
}

export interface NotificationDetail extends Notification {
  template: string;
  body_text: string;
  body_html: string | null;
  message_id: string | null;
}

export interface NotificationPage {
  notifications: Notification[];
  total: number;
  skip: number;
  limit: number;
}

export interface Watcher {
  id: string;
  channel: string;
  target: string;
  contract_name: string | null;
  team: string | null;
  event_types: string[];
  /** pending: added for someone else's address, told nothing until that address confirms */
  status: "active" | "pending";
  created_by: string;
  created_at: string;
  confirmed_at?: string | null;
  scope: "contract" | "team" | "all";
}

export interface WatcherCreate {
  channel?: "email" | "slack";
  target: string;
  contract_name?: string | null;
  team?: string | null;
  event_types?: EventType[];
}

export interface WatcherPage {
  watchers: Watcher[];
  total: number;
  skip: number;
  limit: number;
}

export interface PreferenceIn {
  muted_types: EventType[];
  min_severity: EventSeverity;
  digest: boolean;
}

export interface Preference {
  email: string;
  muted_types: string[];
  min_severity: string;
  digest: boolean;
  updated_at?: string | null;
  updated_by?: string | null;
  stored: boolean;
}
