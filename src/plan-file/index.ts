export type { Diagnostic, LoadPlansOptions, LoadResult, MigrationPlan, PlanCustomer, SkuCatalog, SkuRef, SourcePosition } from "./types.js";
export { loadPlans } from "./load-plans.js";
export { formatDiagnostic } from "./format-diagnostic.js";
export { DIAGNOSTIC_CODES, type DiagnosticCode } from "./diagnostic-codes.js";
export { PLAN_SCHEMA, planSchemaJson } from "./plan-schema.js";
