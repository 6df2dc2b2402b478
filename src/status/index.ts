export type {
  CustomerStatus,
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
export { computeStatus, customerStatus, type StatusOptions } from "./compute-status.js";
export { DEPROVISION_AFTER_DAYS } from "../reconcile/lifecycle.js";
export { lastChangesFromAudit, suspensionsFromAudit } from "./audit-log.js";
export { describePending, describeSource, renderStatusJson, renderStatusText } from "./render-status.js";
