import { kindOf } from "../actions/registry.js";
import type { Marker } from "../actions/types.js";
import type { Action, CustomerPlan, Note } from "../reconcile/types.js";

/** What every preview format needs besides the customers. */
export interface PreviewContext {
  /** The reference time the plan was computed for (dates such as a deprovisioning follow it). */
  now: string;
}

/** Shared wording of actions and notes, so every format agrees; each kind words itself (src/actions/). */
export function markerOf(a: Action): Marker {
  return kindOf(a).marker;
}

export function describeAction(a: Action, at: PreviewContext): string {
  return kindOf(a).describe(a, at);
}

export function describeNote(n: Note): string {
  return `${n.level}: ${n.message}`;
}

export function deadlineText(c: CustomerPlan): string | undefined {
  if (c.sourceEndDate === undefined || c.daysLeft === undefined) return undefined;
  const date = c.sourceEndDate.slice(0, 10);
  if (c.daysLeft < 0) return `source ended ${date} (${-c.daysLeft} days ago)`;
  return `source ends ${date} (${c.daysLeft} day${c.daysLeft === 1 ? "" : "s"} left)`;
}

/** Whether this customer's licence access matters to its preview: licence actions, or a refusal. */
function accessMatters(c: CustomerPlan): boolean {
  return c.access !== undefined && (c.access.state === "refused" || c.actions.some((x) => kindOf(x).permission === "licenses"));
}

/**
 * Whether the credential may change this customer's licences and how pcplan knows, where it
 * matters; undefined elsewhere, and for "not verified": that is said once for all customers
 * (`unverifiedAccessLine`), since its reason is the licence API's, the same for every customer.
 */
export function accessLine(c: CustomerPlan): string | undefined {
  const a = c.access;
  if (!a || !accessMatters(c)) return undefined;
  if (a.state === "verified") return `licence access verified: ${a.how}`;
  if (a.state === "refused") return `licence access refused: ${a.how}`;
  return undefined;
}

/** One line for every customer whose licence access apply must still prove, or undefined when none. */
export function unverifiedAccessLine(customers: readonly CustomerPlan[]): string | undefined {
  const open = customers.filter((c) => accessMatters(c) && c.access?.state === "unverified");
  if (open.length === 0) return undefined;
  const reasons = [...new Set(open.map((c) => c.access!.how))].join("; ");
  const who = open.length === 1 ? "1 customer" : `${open.length} customers`;
  return `Licence access not verified for ${who} (${reasons}): apply proves it for each before buying, by re-asserting a held licence unchanged.`;
}

export function customerHeading(c: CustomerPlan): string {
  return `${c.name} (${c.customerId})`;
}

export function planLine(c: CustomerPlan): string {
  const deadline = deadlineText(c);
  return `plan ${c.planName}: ${c.source.skuPartNumber} → ${c.target.skuPartNumber}${deadline ? ` · ${deadline}` : ""}`;
}

/** A customer waiting for a change scheduled at its renewal is not "up to date": its block says when. */
const hasSomethingToSay = (c: CustomerPlan) => c.actions.length > 0 || c.notes.some((n) => n.level !== "info" || n.code === "scheduled");

/** Customers worth a block of their own, most urgent first: soonest source end, then errors, then name. */
export function shown(customers: readonly CustomerPlan[]): CustomerPlan[] {
  const rank = (c: CustomerPlan) => c.daysLeft ?? Number.POSITIVE_INFINITY;
  const errors = (c: CustomerPlan) => (c.notes.some((n) => n.level === "error") ? 0 : 1);
  return customers.filter(hasSomethingToSay).sort((a, b) => rank(a) - rank(b) || errors(a) - errors(b) || a.name.localeCompare(b.name));
}

/** How many unchanged customers are named on the collapsed line before "and N more". */
const UNCHANGED_NAMED = 10;

/** The customers with nothing to do or report, in one line ("Up to date (2): Northwind Traders, Wide World Importers"). */
export function unchangedLine(customers: readonly CustomerPlan[]): string | undefined {
  const quiet = customers
    .filter((c) => !hasSomethingToSay(c))
    .map((c) => c.name)
    .sort((a, b) => a.localeCompare(b));
  if (quiet.length === 0) return undefined;
  const named = quiet.slice(0, UNCHANGED_NAMED).join(", ");
  const more = quiet.length > UNCHANGED_NAMED ? ` and ${quiet.length - UNCHANGED_NAMED} more` : "";
  return `Up to date (${quiet.length}): ${named}${more}`;
}
