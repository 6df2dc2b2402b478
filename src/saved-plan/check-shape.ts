/**
 * The shape of a saved plan, checked after its integrity digest. The digest is an unkeyed
 * hash: it catches accidents and naive edits, but whoever can write the file can recompute
 * it. So nothing in the file is trusted to be well-formed: every field the engine reads is
 * checked here (types, GUIDs, no unknown keys, each action by its kind's own shape), and
 * `apply` re-derives the actions from the plans and live state before writing.
 * Returns the first problem as `path: message`, or undefined when the shape is sound.
 */
import { ACTION_KINDS, kindOf } from "../actions/registry.js";
import { array, count, guid, isObj, nullable, object, skuRef, str, type Check } from "../util/shape-check.js";

const action: Check = (v, p) => {
  const kind = isObj(v) && typeof v.kind === "string" ? kindOf(v.kind) : undefined;
  if (!kind) return `${p}.kind: must be one of ${ACTION_KINDS.join(", ")}`;
  return kind.shape(v, p);
};
const customerPlan = object(
  { customerId: guid, name: str, planName: str, source: skuRef, target: skuRef, actions: array(action), notes: array(object({}, true)) },
  true,
);
const savedCustomer = object({ plan: customerPlan, fingerprint: nullable(str) });

export function savedPlanShapeProblem(v: Record<string, unknown>): string | undefined {
  return object({
    formatVersion: count,
    kind: str,
    createdAt: str,
    now: str,
    endpoint: str,
    plansHash: str,
    files: array(object({ path: str, sha256: str })),
    customers: array(savedCustomer),
    integrity: str,
  })(v, "$");
}
