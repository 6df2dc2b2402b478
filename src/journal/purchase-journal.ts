/**
 * pcplan's own record of the carts and orders it placed (`.pcplan/purchases.jsonl`), checked
 * before Partner Center's orders list on the next run: an order can take minutes to be listed,
 * and a run killed right after checkout must not buy again in that gap. Append-only JSONL, one
 * line per step (`cart` when a cart exists, `ordered` once checkout answered, `failed` when the cart
 * was refused or its checkout placed no order). CI keeps the file between jobs (docs/new-commerce.md).
 */
import { appendStateLine, readStateFile } from "../util/state-files.js";

export interface JournalEntry {
  time: string;
  customerId: string;
  /** What was bought: `productId:skuId` (new commerce) or the legacy offer id. */
  item: string;
  quantity: number;
  cartId?: string;
  orderIds?: string[];
  /** `failed`: the cart's lines were refused or its checkout placed no order; it is never checked out again. */
  phase: "cart" | "ordered" | "failed";
}

export interface PurchaseJournal {
  /** Entries for a customer, oldest first. */
  entries(customerId: string): Promise<JournalEntry[]>;
  append(entry: Omit<JournalEntry, "time">): Promise<void>;
}

/** Entries older than this say nothing any more: the order is listed (or long gone) by then. */
export const JOURNAL_HORIZON_MS = 48 * 3_600_000;

/**
 * The journal in `path` (opened only as a regular file: src/util/state-files.ts). `warn` hears of
 * lines that are not entries (cut short by a crash): they are skipped, never joined to the next.
 */
export function fileJournal(path: string, now: () => number = Date.now, warn: (message: string) => void = () => undefined): PurchaseJournal {
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
      return (await load()).filter((e) => e.customerId === customerId && Date.parse(e.time) >= horizon);
    },
    async append(entry) {
      const full: JournalEntry = { time: new Date(now()).toISOString(), ...entry };
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

/** Order ids the journal says were placed. */
export function orderedIds(entries: readonly JournalEntry[]): string[] {
  return entries.flatMap((e) => (e.phase === "ordered" ? (e.orderIds ?? []) : []));
}
