import { Document, isMap, isSeq } from "yaml";
import { daysBetween, earliest } from "../util/dates.js";
import type { CustomerDeadline, DiscoveredCustomer } from "./types.js";

/** A SKU as the skeleton names it: `sku` is what goes in the file (the part number). */
export interface SkeletonSku {
  sku: string;
  displayName: string;
}

export interface SkeletonOptions {
  /** metadata.name: a lowercase slug (see `planNameFor`). */
  name: string;
  source: SkeletonSku;
  target: SkeletonSku;
  /** Reference time for days left (ISO). */
  now: string;
  /** Customers ending within this many days are marked "ends soon". */
  warnDays: number;
  /** Keep only customers whose retiring source ends within this many days (or has ended). */
  expiringWithin?: number;
  /** The command line, for the header comment. */
  command?: string;
  /** Where the customers left out because they are planned already are (e.g. "plans"). */
  leftOutFrom?: string;
}

export interface DiscoveredEntry {
  customer: DiscoveredCustomer;
  deadline: CustomerDeadline;
}

const MAX_NAME = 63;

/** A valid metadata.name for a source SKU: `retire-<slug>`, e.g. retire-mcoimp. */
export function planNameFor(sourceSku: string): string {
  const slug = sourceSku
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `retire-${slug || "sku"}`.slice(0, MAX_NAME).replace(/-+$/, "");
}

/**
 * The customer's deadline. Retiring subscriptions are the active ones with
 * `autoRenewEnabled = false`; their term end date is when service stops.
 */
export function deadlineOf(c: DiscoveredCustomer, now: string): CustomerDeadline {
  const active = c.subscriptions.filter((s) => s.status === "active");
  const retiring = active.filter((s) => !s.autoRenewEnabled);
  const endDate = earliest((retiring.length > 0 ? retiring : active).map((s) => s.commitmentEndDate));
  return {
    endDate,
    daysLeft: endDate === undefined ? undefined : daysBetween(now, endDate),
    retiring: retiring.length > 0,
    autoRenewing: active.some((s) => s.autoRenewEnabled),
    activeSubscriptions: active.length,
  };
}

/** Soonest end first (retiring before auto-renewing, no date last), then by name and id; optionally only those expiring. */
export function selectAndSort(customers: readonly DiscoveredCustomer[], opts: Pick<SkeletonOptions, "now" | "expiringWithin">): DiscoveredEntry[] {
  const entries = customers.map((customer) => ({ customer, deadline: deadlineOf(customer, opts.now) }));
  const within = opts.expiringWithin;
  const kept =
    within === undefined ? entries : entries.filter((e) => e.deadline.retiring && e.deadline.daysLeft !== undefined && e.deadline.daysLeft <= within);
  const rank = (e: DiscoveredEntry): number => (e.deadline.daysLeft === undefined ? 2 : e.deadline.retiring ? 0 : 1);
  return kept.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.deadline.daysLeft ?? 0) - (b.deadline.daysLeft ?? 0) ||
      a.customer.name.localeCompare(b.customer.name) ||
      a.customer.id.localeCompare(b.customer.id),
  );
}

/** One comment line: `Contoso Ltd — 12 users on MCOIMP — ends 2027-03-31 (127 days) — autoRenew off`. */
export function customerComment(e: DiscoveredEntry, sourceSku: string, warnDays: number): string {
  const { customer: c, deadline: d } = e;
  const parts = [oneLine(c.name) || c.id, `${c.sourceUsers} user${c.sourceUsers === 1 ? "" : "s"} on ${sourceSku}`];
  if (d.endDate !== undefined && d.daysLeft !== undefined) {
    const date = d.endDate.slice(0, 10);
    if (d.daysLeft < 0) parts.push(`ended ${date} (${-d.daysLeft} day${d.daysLeft === -1 ? "" : "s"} ago)`);
    else parts.push(`ends ${date} (${d.daysLeft} day${d.daysLeft === 1 ? "" : "s"})`);
  } else {
    parts.push("no end date");
  }
  if (d.activeSubscriptions === 0) parts.push("no active subscription");
  else if (d.retiring && d.autoRenewing) parts.push("autoRenew mixed");
  else parts.push(d.retiring ? "autoRenew off" : "autoRenew on");
  if (d.activeSubscriptions > 1) parts.push(`${d.activeSubscriptions} subscriptions`);
  if (d.daysLeft !== undefined && d.daysLeft <= warnDays) parts.push(d.daysLeft < 0 ? "ENDED" : "ENDS SOON");
  return parts.join(" — ");
}

/**
 * The plan file text: a valid `pcplan/v1` MigrationPlan listing the customers (soonest end first),
 * each with a comment giving name, users on the source, end date and days left.
 * Pure: the same input gives the same text. Throws when there is no customer (a plan needs one).
 */
export function renderPlanSkeleton(customers: readonly DiscoveredCustomer[], opts: SkeletonOptions): string {
  const entries = selectAndSort(customers, opts);
  if (entries.length === 0) throw new RangeError("renderPlanSkeleton: no customer to list (a plan needs at least one)");
  const day = opts.now.slice(0, 10);
  const users = entries.reduce((n, e) => n + e.customer.sourceUsers, 0);
  const doc = new Document({
    apiVersion: "pcplan/v1",
    kind: "MigrationPlan",
    metadata: {
      name: opts.name,
      description:
        `Move off ${opts.source.displayName} (${opts.source.sku}) to ${opts.target.displayName} (${opts.target.sku}). Discovered ${day}: ${entries.length} customer${entries.length === 1 ? "" : "s"}, ${users} user${users === 1 ? "" : "s"}.`.slice(
          0,
          1000,
        ),
    },
    spec: {
      source: { sku: opts.source.sku },
      target: { sku: opts.target.sku },
      customers: entries.map((e) => {
        const name = oneLine(e.customer.name).slice(0, 256);
        return name ? { id: e.customer.id, name } : { id: e.customer.id };
      }),
      suspendSource: true,
      seats: "users",
    },
  });
  const filter = opts.expiringWithin === undefined ? "" : ` whose retiring subscription ends within ${opts.expiringWithin} days (or has ended)`;
  const outside = opts.leftOutFrom === undefined ? "" : ` outside ${oneLine(opts.leftOutFrom)}`;
  doc.commentBefore = [
    " yaml-language-server: $schema=../schemas/plan.schema.json",
    ` Plan skeleton from live Partner Center state${opts.command ? `: \`${oneLine(opts.command)}\`` : ""} on ${day}.`,
    ` ${entries.length} customer${entries.length === 1 ? "" : "s"}${outside} hold${entries.length === 1 ? "s" : ""} ${opts.source.sku}${filter}, soonest end date first`,
    " (retiring = autoRenewEnabled false; the end date is the subscription's commitmentEndDate).",
    " Review targets, add `exclude:` for users who keep the source, then `pcplan validate` and `pcplan plan`.",
  ].join("\n");
  const spec = doc.get("spec", true);
  if (!isMap(spec)) throw new Error("renderPlanSkeleton: spec is not a map");
  for (const key of ["source", "target"]) {
    const node = spec.get(key, true);
    if (isMap(node)) node.flow = true;
  }
  const seq = spec.get("customers", true);
  if (!isSeq(seq)) throw new Error("renderPlanSkeleton: spec.customers is not a sequence");
  seq.items.forEach((item, i) => {
    const e = entries[i];
    if (e && isMap(item)) item.commentBefore = ` ${customerComment(e, opts.source.sku, opts.warnDays)}`;
  });
  return doc.toString({ lineWidth: 0 });
}

function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
}
