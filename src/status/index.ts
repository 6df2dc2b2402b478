export type {
  Attention,
  CustomerStatus,
  KeepReason,
  LastChange,
  PendingActions,
  PlanStatus,
  PlanStatusTotals,
  Progress,
  RetirementMethod,
  SourceState,
  SourceSubscription,
  StatusReport,
} from "./types.js";
export { computeStatus, customerStatus, zeroTotals, type StatusOptions } from "./compute-status.js";
export { DEPROVISION_AFTER_DAYS } from "../partner-center/lifecycle.js";
export { lastChangesFromAudit, refusalsFromAudit, summarizeAudit, suspensionsFromAudit, type AuditSummary, type Refusal } from "./audit-log.js";
export { describePending, describeSource, renderStatusJson, renderStatusText } from "./render-status.js";
