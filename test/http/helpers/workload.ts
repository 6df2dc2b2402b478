/**
 * A finite workload shaped like `plan`'s reads (src/live/): partner-wide calls first, then per
 * customer its first reads together, its users pages one after another, and its licence reads
 * `concurrency` at a time, with its orders in flight read beside them (src/live/read-state.ts
 * `readCustomer`); `8 × concurrency` customers in flight. On the simulated clock it tells
 * how close to the bound the request budget brings a whole run (bench/budget-sim.ts and
 * test/http/budget-bound.e2e.test.ts).
 */
import pLimit from "p-limit";

/** One customer's reads, in the order `plan` makes them. */
export interface CustomerWork {
  id: string;
  /** Read together first: subscriptions, subscribed SKUs. */
  first: number;
  /** Read beside the users pages, once the first reads are in: the orders in flight (where a purchase may be needed). */
  beside?: number;
  /** Users pages, one after another. */
  pages: number;
  /** Licence reads up to the last source holder, `concurrency` at a time. */
  reads: number;
  /**
   * What `plan` tells the budget is to come (src/licenses/partner-center-backend.ts): before its
   * users pages (the first page and a read per consumed unit) and once they are in (the reads);
   * nothing once the reads are done.
   */
  announce?: { beforePages: number; afterPages: number };
}

/** `read(id)`: one customer-scoped call; `read()`: a partner-wide one; `expect`: the client's hint of what is to come. */
export async function runWork(
  read: (customer?: string) => Promise<void>,
  work: readonly CustomerWork[],
  opts: { partnerWide: number; concurrency: number; expect?: (customer: string, requests: number) => void },
): Promise<void> {
  const customers = pLimit(opts.concurrency * 8);
  const customer = async (w: CustomerWork) => {
    const reads = pLimit(opts.concurrency);
    await Promise.all(Array.from({ length: w.first }, () => read(w.id)));
    const holders = async () => {
      if (w.announce) opts.expect?.(w.id, w.announce.beforePages);
      for (let p = 0; p < w.pages; p++) await read(w.id);
      if (w.announce) opts.expect?.(w.id, w.announce.afterPages);
      await Promise.all(Array.from({ length: w.reads }, () => reads(() => read(w.id))));
      if (w.announce) opts.expect?.(w.id, 0);
    };
    await Promise.all([holders(), ...Array.from({ length: w.beside ?? 0 }, () => read(w.id))]);
  };
  await Promise.all(Array.from({ length: opts.partnerWide }, () => read()));
  await Promise.all(work.map((w) => customers(() => customer(w))));
}

/** Calls of a workload. */
export const callsOf = (work: readonly CustomerWork[], partnerWide: number) =>
  work.reduce((n, w) => n + w.first + (w.beside ?? 0) + w.pages + w.reads, partnerWide);
