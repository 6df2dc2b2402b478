export type { CustomerStatus, PendingActions, PlanStatus, PlanStatusTotals, Progress, SourceState, StatusReport } from "./types.js";
export { computeStatus, customerStatus, suspensionsFromAudit, type StatusOptions } from "./compute-status.js";
export { DEPROVISION_AFTER_DAYS } from "../reconcile/lifecycle.js";
export { describeSource, renderStatusJson, renderStatusText } from "./render-status.js";
