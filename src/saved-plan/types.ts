import type { CustomerPlan } from "../reconcile/types.js";

/** 2: actions as the registry writes them (src/actions/), plan customers with `decommission`. */
export const SAVED_PLAN_VERSION = 2;
export const SAVED_PLAN_KIND = "pcplan/saved-plan";

/**
 * `plan --out FILE`: the actions, what they were computed from (per-customer live
 * fingerprints, the plan files and their hash, the endpoint) and an integrity digest over it.
 * It decides nothing by itself: `apply FILE` re-loads the plan files from disk (and refuses
 * when their hash differs), re-reads every customer and re-derives every action.
 */
export interface SavedPlan {
  formatVersion: typeof SAVED_PLAN_VERSION;
  kind: typeof SAVED_PLAN_KIND;
  createdAt: string;
  /** Reference time the deadlines were computed for. */
  now: string;
  endpoint: string;
  plansHash: string;
  files: { path: string; sha256: string }[];
  customers: { plan: CustomerPlan; fingerprint: string | null }[];
  integrity: string;
}
