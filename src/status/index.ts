export type { CustomerStatus, PendingActions, PlanStatus, PlanStatusTotals, Progress, SourceState, StatusReport } from "./types.js";
export { computeStatus, customerStatus, suspensionsFromAudit, DEPROVISION_AFTER_DAYS, type StatusOptions } from "./compute-status.js";
export { describeSource, renderStatusJson, renderStatusText } from "./render-status.js";
