// Compile-time check of src/types/api.ts against the services' OpenAPI documents (generated
// into src/types/openapi/ by `npm run gen:api`). `tsc -b` (npm run build / typecheck) fails,
// naming the keys, when a service adds, renames or drops a key our types do not know.
import type * as Api from "@/types/api";
import type { components as ContractsApi } from "@/types/openapi/contracts";
import type { components as DictionaryApi } from "@/types/openapi/dictionary";
import type { components as MonitorApi } from "@/types/openapi/monitor";
import type { components as NotificationsApi } from "@/types/openapi/notifications";

type C = ContractsApi["schemas"];
type D = DictionaryApi["schemas"];
type N = NotificationsApi["schemas"];
type M = MonitorApi["schemas"];

type SameKeys<Ours, Theirs> = [Exclude<keyof Ours, keyof Theirs>, Exclude<keyof Theirs, keyof Ours>] extends [never, never]
  ? true
  : { onlyInOurs: Exclude<keyof Ours, keyof Theirs>; onlyInTheirs: Exclude<keyof Theirs, keyof Ours> };

/** Keys required by the service's response must be required in ours too. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type SameRequired<Ours, Theirs> = [Exclude<RequiredKeys<Theirs>, RequiredKeys<Ours>>] extends [never] ? true : { optionalInOurs: Exclude<RequiredKeys<Theirs>, RequiredKeys<Ours>> };

type Both<Ours, Theirs> = SameKeys<Ours, Theirs> extends true ? SameRequired<Ours, Theirs> : SameKeys<Ours, Theirs>;
type Literal<Ours, Theirs> = [Ours] extends [Theirs] ? ([Theirs] extends [Ours] ? true : { theirs: Theirs }) : { ours: Ours };

type Assert<T extends true> = T;

export type ApiCompat = [
  // contract-service
  Assert<Both<Api.Contract, C["ContractResponse"]>>,
  Assert<SameKeys<Api.ContractDocument, C["ContractDefinitionBody"]>>,
  Assert<SameKeys<Api.ContractField, C["ContractField"]>>,
  Assert<SameKeys<Api.FieldConstraint, C["FieldConstraint"]>>,
  Assert<SameKeys<Api.QualityMetric, C["QualityMetric"]>>,
  Assert<SameKeys<Api.AccessConfig, C["AccessConfig"]>>,
  Assert<SameKeys<Api.Subscriber, C["Subscriber"]>>,
  Assert<SameKeys<Api.Publisher, C["Publisher"]>>,
  Assert<Literal<Api.DataType, C["DataType"]>>,
  Assert<Literal<Api.ConstraintType, C["ConstraintType"]>>,
  Assert<Literal<Api.MetricType, C["MetricType"]>>,
  Assert<Literal<Api.AuthType, C["AuthType"]>>,
  Assert<Literal<Api.ContractStatus, C["ContractStatus"]>>,
  Assert<Both<Api.ContractCompliance, C["ComplianceSummary"]>>,
  Assert<Both<Api.CheckSummary, C["CheckSummary"]>>,
  Assert<Both<Api.ContractList, C["ContractList"]>>,
  Assert<Literal<Api.ContractSort, C["ContractSort"]>>,
  Assert<Literal<Api.SortOrder, C["SortOrder"]>>,
  Assert<Both<Api.ValidationReport, C["ValidationReport"]>>,
  Assert<SameKeys<Api.DraftFromSqlRequest, C["DraftFromSqlRequest"]>>,
  Assert<Literal<Api.SqlDialect, NonNullable<C["DraftFromSqlRequest"]["dialect"]>>>,
  Assert<Both<Api.DraftItem, C["DraftItem"]>>,
  Assert<Both<Api.DraftFromSqlResult, C["DraftFromSqlResult"]>>,
  Assert<Both<Api.ValidationIssue, C["Issue"]>>,
  Assert<SameKeys<Api.ChangeReport, C["ChangeReport"]>>,
  Assert<SameKeys<Api.Change, C["Change"]>>,
  Assert<Literal<Api.Severity, C["Severity"]>>,
  Assert<SameKeys<Api.VersionList, C["VersionList"]>>,
  Assert<Both<Api.VersionEntry, C["VersionEntry"]>>,
  Assert<Both<Api.ComplianceCheck, C["ComplianceCheckOut"]>>,
  Assert<Both<Api.ComplianceCheckPage, C["ComplianceCheckList"]>>,
  Assert<Both<Api.ComplianceSummary, C["ComplianceSummaryOut"]>>,
  Assert<Both<Api.ContractComplianceRow, C["ContractCompliance"]>>,
  Assert<Both<Api.TrendPoint, C["TrendPoint"]>>,
  Assert<Both<Api.ComplianceTrend, C["ComplianceTrend"]>>,
  Assert<SameKeys<Api.FieldDeprecation, C["FieldDeprecation"]>>,
  Assert<SameKeys<Api.ChangePolicy, C["ChangePolicy"]>>,
  Assert<Both<Api.Proposal, C["ProposalOut"]>>,
  Assert<Both<Api.ProposalList, C["ProposalList"]>>,
  Assert<Literal<Api.ProposalStatus, C["ProposalOut"]["status"]>>,
  Assert<Both<Api.TeamAnswer, C["TeamAnswer"]>>,
  Assert<Literal<Api.TeamAnswer["answer"], C["TeamAnswer"]["answer"]>>,
  Assert<Both<Api.AnswerRecord, C["AnswerRecord"]>>,
  Assert<Both<Api.Verdict, C["VerdictOut"]>>,
  Assert<Both<Api.ProposalOverride, C["OverrideOut"]>>,
  Assert<SameKeys<Api.AnswerRequest, C["AnswerRequestBody"]>>,
  Assert<SameKeys<Api.PublishRequest, C["PublishRequestBody"]>>,
  Assert<Both<Api.DeprecatedField, C["DeprecatedField"]>>,
  Assert<Both<Api.DeprecationList, C["DeprecationList"]>>,
  // dictionary-service
  Assert<SameKeys<Api.DictionarySummary, D["DictionarySummary"]>>,
  Assert<Both<Api.SearchHit, D["SearchHit"]>>,
  Assert<Both<Api.SearchFacets, D["Facets"]>>,
  Assert<Both<Api.SearchResponse, D["SearchResponse"]>>,
  Assert<SameKeys<Api.SearchHit["highlights"], D["Highlights"]>>,
  Assert<Literal<Api.HitKind, D["HitKind"]>>,
  Assert<SameKeys<Api.ErdGraph, D["ErdGraph"]>>,
  Assert<SameKeys<Api.ErdDatasetNode, D["DatasetNode"]>>,
  Assert<SameKeys<Api.ErdTeamNode, D["TeamNode"]>>,
  Assert<SameKeys<Api.DatasetNodeData, D["DatasetNodeData"]>>,
  Assert<Both<Api.ErdField, D["ErdField"]>>,
  Assert<SameKeys<Api.ErdForeignKeyEdge, D["ForeignKeyEdge"]>>,
  Assert<SameKeys<Api.ErdForeignKeyEdge["data"], D["ForeignKeyData"]>>,
  Assert<SameKeys<Api.ErdSubscriptionEdge, D["SubscriptionEdge"]>>,
  Assert<SameKeys<Api.ErdSubscriptionEdge["data"], D["SubscriptionData"]>>,
  // notification-service
  Assert<Both<Api.Notification, N["NotificationOut"]>>,
  Assert<Both<Api.NotificationDetail, N["NotificationDetail"]>>,
  Assert<Both<Api.NotificationPage, N["NotificationPage"]>>,
  Assert<Both<Api.Watcher, N["WatcherOut"]>>,
  Assert<SameKeys<Api.WatcherCreate, N["WatcherCreate"]>>,
  Assert<Both<Api.WatcherPage, N["WatcherPage"]>>,
  Assert<SameKeys<Api.PreferenceIn, N["PreferenceIn"]>>,
  Assert<SameKeys<Api.Preference, N["PreferenceOut"]>>,
  Assert<Literal<Api.EventType, N["EventType"]>>,
  Assert<Literal<Api.NotificationStatus, N["Status"]>>,
  Assert<Literal<Api.EventSeverity, N["EventSeverity"]>>,
  // compliance-monitor
  Assert<Both<Api.RunResponse, M["RunResponse"]>>,
  Assert<Both<Api.CheckResult, M["CheckResultOut"]>>,
];

// Every entry must be `true`; otherwise `tsc` reports the line with the keys that differ.
export const apiCompat: ApiCompat["length"] = 77;
