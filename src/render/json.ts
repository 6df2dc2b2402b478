import { summarize, summaryLine, type PlanSummary } from "../reconcile/summary.js";
import { kindOf, type ActionKindName } from "../actions/registry.js";
import type { Action, CustomerPlan, LicenceAccess, Note } from "../reconcile/types.js";

/** `--format json`, documented in docs/json-format.md. Bump formatVersion on breaking changes. */
export interface JsonPreview {
  formatVersion: 1;
  summary: PlanSummary & { line: string };
  customers: {
    id: string;
    name: string;
    plan: string;
    source: string;
    target: string;
    sourceEndDate: string | null;
    daysLeft: number | null;
    notes: Note[];
    /** What the credential may do with the customer's licences and how pcplan knows (docs/json-format.md); null where not asked. */
    access: LicenceAccess | null;
    actions: JsonAction[];
  }[];
}

/** One action as documented per kind in docs/json-format.md; each kind writes its own (src/actions/). */
export type JsonAction = { kind: ActionKindName } & Record<string, unknown>;

type JsonCustomer = JsonPreview["customers"][number];

export function toJsonPreview(customers: readonly CustomerPlan[]): JsonPreview {
  return { formatVersion: 1, summary: jsonSummary(customers), customers: customers.map(jsonCustomer) };
}

function jsonSummary(customers: readonly CustomerPlan[]): JsonPreview["summary"] {
  const summary = summarize(customers);
  return { ...summary, line: summaryLine(summary) };
}

function jsonCustomer(c: CustomerPlan): JsonCustomer {
  return {
    id: c.customerId,
    name: c.name,
    plan: c.planName,
    source: c.source.skuPartNumber,
    target: c.target.skuPartNumber,
    sourceEndDate: c.sourceEndDate ?? null,
    daysLeft: c.daysLeft ?? null,
    notes: c.notes,
    access: c.access ?? null,
    actions: c.actions.map(jsonAction),
  };
}

/** One action in its documented JSON form (each kind writes its own, src/actions/). */
export function jsonAction(a: Action): JsonAction {
  return kindOf(a).toJson(a);
}

export function renderJson(customers: readonly CustomerPlan[]): string {
  return [...jsonChunks(customers)].join("");
}

/** `value` as `JSON.stringify(value, null, 2)` would print it `depth` levels deep (JSON strings hold no raw newline). */
const nested = (value: unknown, depth: number) => JSON.stringify(value, null, 2).replace(/\n/g, `\n${"  ".repeat(depth)}`);

/**
 * The JSON preview a piece at a time, byte for byte `JSON.stringify(toJsonPreview(…), null, 2)`
 * and a newline: the summary, then one customer a chunk. Written as it goes, the output of a
 * large world is never one string in memory (docs/performance.md, "Scale").
 */
export function* jsonChunks(customers: readonly CustomerPlan[]): Generator<string> {
  yield `{\n  "formatVersion": 1,\n  "summary": ${nested(jsonSummary(customers), 1)},\n  "customers": [`;
  let first = true;
  for (const c of customers) {
    yield `${first ? "" : ","}\n    ${nested(jsonCustomer(c), 2)}`;
    first = false;
  }
  yield `${first ? "" : "\n  "}]\n}\n`;
}
