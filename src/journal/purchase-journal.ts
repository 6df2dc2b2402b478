/**
 * pcplan's own record of the carts and orders it placed (`.pcplan/purchases.jsonl`), checked
 * before Partner Center's orders list on the next run: an order can take minutes to be listed,
 * and a run killed right after checkout must not buy again in that gap. Append-only JSONL, one
 * line per step (`cart` when a cart exists, `ordered` once checkout answered, `failed` when the cart
 * was refused, expired or its checkout placed no order, or Microsoft cancelled its order). CI keeps
 * the file between jobs (docs/new-commerce.md); a runner without it still sees pending orders in
 * Partner Center's orders list.
 */
import { appendStateLine, readStateFile } from "../util/state-files.js";

export interface JournalEntry {
  time: string;
  customerId: string;
  /** What was bought: `productId:skuId` (new commerce) or the legacy offer id. */
  item: string;
  /** The licence skuId it provisions (entries written before it was recorded lack it). */
  skuId?: string;
  quantity: number;
  cartId?: string;
  orderIds?: string[];
  /**
   * `failed`: the cart's lines were refused, the cart expired, its checkout was refused or placed
   * no order, or Microsoft cancelled its order (`orderIds`); that cart is never checked out again
   * and that order never waited on again.
   */
  phase: "cart" | "ordered" | "failed";
  /** The Partner Center endpoint and partner the purchase was made at (`journalScope`); absent in lines written before it was kept. */
  scope?: string;
  /** Why a `failed` entry failed. */
  reason?: "refused" | "expired" | "cancelled";
}

export interface PurchaseJournal {
  /** Entries for a customer, oldest first. */
  entries(customerId: string): Promise<JournalEntry[]>;
  append(entry: Omit<JournalEntry, "time">): Promise<void>;
}

/** Entries older than this say nothing any more: the order is listed (or long gone) by then. */
export const JOURNAL_HORIZON_MS = 48 * 3_600_000;

/**
/**
 * Which Partner Center and partner a journal line belongs to: purchases made at another endpoint
 * (another sandbox, a restarted in-memory one on another port) or for another partner say nothing
 * about this one's orders and are ignored, never shown as "awaiting provisioning".
 */
export function journalScope(endpoint: string, partner: string | undefined): string {
  return `${endpoint.replace(/\/+$/, "").toLowerCase()}|${(partner ?? "").toLowerCase()}`;
}

/**
 * The journal in `path` (opened only as a regular file: src/util/state-files.ts). `warn` hears of
 * lines that are not entries (cut short by a crash): they are skipped, never joined to the next.
 * `scope`: only lines of this scope (and lines written before scopes were kept) are read; new lines carry it.
 */
export function fileJournal(path: string, now: () => number = Date.now, warn: (message: string) => void = () => undefined, scope?: string): PurchaseJournal {
  const ours = (e: JournalEntry) => scope === undefined || e.scope === undefined || e.scope === scope;
  let loaded: Promise<JournalEntry[]> | undefined;
  let chain: Promise<void> = Promise.resolve();
  const load = () =>
    (loaded ??= readStateFile(path).then((text = "") => {
      const lines = text.split("\n");
      const entries = lines.map((line) => parseLine(line));
      const torn = lines.flatMap((line, i) => (line.trim() !== "" && entries[i]?.length === 0 ? [i + 1] : []));
      if (torn.length > 0) warn(`${path}: line ${torn.join(", ")} is not a whole entry (cut short by a crash?) and is skipped`);
      return entries.flat();
    }));
  return {
    async entries(customerId) {
      const horizon = now() - JOURNAL_HORIZON_MS;
      return (await load()).filter((e) => e.customerId === customerId && ours(e) && Date.parse(e.time) >= horizon);
    },
    async append(entry) {
      const full: JournalEntry = { time: new Date(now()).toISOString(), ...entry, ...(scope === undefined ? {} : { scope }) };
      (await load()).push(full);
      // A torn last line gets its newline first: the entry never fuses with it.
      chain = chain.then(async () => void (await appendStateLine(path, JSON.stringify(full))));
      return chain;
    },
  };
}

function parseLine(line: string): JournalEntry[] {
  try {
    const e = JSON.parse(line) as Partial<JournalEntry>;
    const ok =
      typeof e.time === "string" &&
      typeof e.customerId === "string" &&
      typeof e.item === "string" &&
      typeof e.quantity === "number" &&
      (e.phase === "cart" || e.phase === "ordered" || e.phase === "failed");
    return ok ? [e as JournalEntry] : [];
  } catch {
    return []; // a blank line, or one cut by a crash: the orders list still has the truth
  }
}

/** The carts a customer has that were never checked out (for the same item and seats): checkout is retried on them. */
export function openCart(entries: readonly JournalEntry[], item: string, quantity: number): string | undefined {
  const closed = new Set(entries.filter((e) => e.phase === "ordered" || e.phase === "failed").map((e) => e.cartId));
  return entries.findLast((e) => e.phase === "cart" && e.item === item && e.quantity === quantity && e.cartId && !closed.has(e.cartId))?.cartId;
}

/**
 * Carts for the same item and seats that failed. Checkout answers a cart's first result forever
 * (and a cart made with the same request id is the same cart), so once the cause is resolved the
 * next purchase needs a cart of its own: its request id counts these.
 */
export function failedCarts(entries: readonly JournalEntry[], item: string, quantity: number): number {
  return entries.filter((e) => e.phase === "failed" && e.item === item && e.quantity === quantity).length;
}

/** Orders the journal says were placed and not since found cancelled, with the licence skuId and seats they buy where it says. */
export function unsettledOrders(entries: readonly JournalEntry[]): { id: string; skuId: string | undefined; quantity: number }[] {
  const cancelled = new Set(entries.flatMap((e) => (e.phase === "failed" ? (e.orderIds ?? []) : [])).map((id) => id.toLowerCase()));
  return entries.flatMap((e) =>
    e.phase === "ordered"
      ? (e.orderIds ?? []).filter((id) => !cancelled.has(id.toLowerCase())).map((id) => ({ id, skuId: e.skuId, quantity: e.quantity }))
      : [],
  );
}
