/**
 * The shape of a saved plan, checked after its integrity digest. The digest is an unkeyed
 * hash: it catches accidents and naive edits, but whoever can write the file can recompute
 * it. So nothing in the file is trusted to be well-formed: every field the engine reads is
 * checked here (types, GUIDs, no unknown keys), and `apply` re-derives the actions from the
 * saved plans and live state before writing (see `mismatchedActions`).
 * Returns the first problem as `path: message`, or undefined when the shape is sound.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ACTION_KINDS = new Set(["purchase", "resize", "reassign", "suspend"]);

type Check = (v: unknown, path: string) => string | undefined;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str: Check = (v, p) => (typeof v === "string" ? undefined : `${p}: must be a string`);
const guid: Check = (v, p) => (typeof v === "string" && GUID.test(v) ? undefined : `${p}: must be a lowercase GUID`);
const bool: Check = (v, p) => (typeof v === "boolean" ? undefined : `${p}: must be a boolean`);
const count: Check = (v, p) => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : `${p}: must be a non-negative integer`);
const seats: Check = (v, p) => (v === "users" || (Number.isSafeInteger(v) && (v as number) >= 1) ? undefined : `${p}: must be "users" or a positive integer`);
const optional = (c: Check): Check => (v, p) => (v === undefined ? undefined : c(v, p));
const nullable = (c: Check): Check => (v, p) => (v === null ? undefined : c(v, p));
const array = (c: Check): Check => (v, p) => {
  if (!Array.isArray(v)) return `${p}: must be an array`;
  for (let i = 0; i < v.length; i++) {
    const e = c(v[i], `${p}[${i}]`);
    if (e) return e;
  }
  return undefined;
};
/** An object with exactly these keys (optional ones may be absent); any other key is refused. */
const object = (fields: Record<string, Check>, open = false): Check => (v, p) => {
  if (!isObj(v)) return `${p}: must be an object`;
  if (!open) for (const k of Object.keys(v)) if (!Object.hasOwn(fields, k)) return `${p}: unknown field "${k}"`;
  for (const [k, c] of Object.entries(fields)) {
    const e = c(v[k], `${p}.${k}`);
    if (e) return e;
  }
  return undefined;
};

const skuRef = object({ skuId: guid, skuPartNumber: str, displayName: str });
const position = object({ file: str, line: count, col: count });
const planCustomer = object({ id: guid, name: optional(str), target: skuRef, exclude: array(str), seats, at: position });
const plan = object({
  file: str,
  name: str,
  description: optional(str),
  source: skuRef,
  target: skuRef,
  customers: array(planCustomer),
  suspendSource: bool,
  seats,
  allowFeatureLoss: bool,
  at: position,
});
const action: Check = (v, p) => {
  if (!isObj(v) || typeof v.kind !== "string" || !ACTION_KINDS.has(v.kind)) return `${p}.kind: must be one of purchase, resize, reassign, suspend`;
  // The actions themselves are compared with what the plans give for the live state before any write.
  return undefined;
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
    plans: array(plan),
    customers: array(savedCustomer),
    integrity: str,
  })(v, "$");
}
