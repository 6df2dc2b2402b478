/**
 * The shape of a saved plan, checked after its integrity digest. The digest is an unkeyed
 * hash: it catches accidents and naive edits, but whoever can write the file can recompute
 * it. So nothing in the file is trusted to be well-formed: every field the engine reads is
 * checked against this schema (types, GUIDs, no unknown keys, each action by its kind's own
 * schema), and `apply` re-derives the actions from the plans and live state before writing.
 */
import { actionSchema, type Action } from "../actions/registry.js";
import { skuRef } from "../actions/shapes.js";
import type { SkuRef } from "../plan-file/types.js";
import type { SavedPlan } from "./types.js";
import { anyObject, arrayOf, compileCheck, count, lowercaseGuid, nullable, objectOf, text } from "../util/json-schema.js";

/** What is checked of a customer's plan: what `apply` and `show` read. Other fields the diff adds are kept, unchecked. */
interface CheckedCustomerPlan {
  customerId: string;
  name: string;
  planName: string;
  source: SkuRef;
  target: SkuRef;
  actions: Action[];
  notes: Record<string, unknown>[];
}

/** A saved plan as far as its shape is concerned: its version and kind are checked apart (saved-plan.ts). */
type CheckedSavedPlan = Omit<SavedPlan, "formatVersion" | "kind" | "customers"> & {
  formatVersion: number;
  kind: string;
  customers: { plan: CheckedCustomerPlan; fingerprint: string | null }[];
};

const customerPlan = objectOf<CheckedCustomerPlan>(
  { customerId: lowercaseGuid, name: text, planName: text, source: skuRef, target: skuRef, actions: arrayOf(actionSchema), notes: arrayOf(anyObject) },
  { open: true },
);

/** The saved plan's shape (exported for the check of every schema against JSON Schema's own, test/http/schemas-valid.test.ts). */
export const SAVED_PLAN_SHAPE = objectOf<CheckedSavedPlan>({
  formatVersion: count,
  kind: text,
  createdAt: text,
  now: text,
  endpoint: text,
  plansHash: text,
  files: arrayOf(objectOf<{ path: string; sha256: string }>({ path: text, sha256: text })),
  customers: arrayOf(objectOf<CheckedSavedPlan["customers"][number]>({ plan: customerPlan, fingerprint: nullable(text) })),
  integrity: text,
});

const check = compileCheck(SAVED_PLAN_SHAPE);

/** The first problem as `$.path: message`, or undefined when the shape is sound. */
export function savedPlanShapeProblem(v: unknown): string | undefined {
  const result = check(v);
  return result.ok ? undefined : result.problem;
}
