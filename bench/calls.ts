/**
 * Calls counted against the minimum the data needs, per customer: the client's own events say
 * what went on the wire (each attempt, with its path), so first attempts and retries are told
 * apart, and a customer's calls (below `/customers/{id}/`) from the partner-wide ones.
 */
import type { ClientEvent } from "../src/http/events.js";

export interface CallCount {
  /** Every attempt sent. */
  attempts: number;
  /** Attempts after a 429, and after a 5xx or a dropped connection. */
  retriesAfter429: number;
  retriesOther: number;
  /** First attempts per customer (lowercase id), and of partner-wide calls. */
  perCustomer: Map<string, number>;
  partnerWide: number;
}

export interface CallCounter {
  onEvent: (e: ClientEvent) => void;
  count: () => CallCount;
}

const CUSTOMER = /\/customers\/([^/]+)\//i;

export function callCounter(): CallCounter {
  const c: CallCount = { attempts: 0, retriesAfter429: 0, retriesOther: 0, perCustomer: new Map(), partnerWide: 0 };
  return {
    // The transport tells `throttled` before each retry after a 429, and `retry` before each after a 5xx or a dropped connection.
    onEvent: (e) => {
      if (e.type === "throttled") c.retriesAfter429++;
      if (e.type === "retry") c.retriesOther++;
      if (e.type !== "request") return;
      c.attempts++;
      if (e.attempt > 0) return;
      const customer = CUSTOMER.exec(e.path)?.[1]?.toLowerCase();
      if (customer === undefined) c.partnerWide++;
      else c.perCustomer.set(customer, (c.perCustomer.get(customer) ?? 0) + 1);
    },
    count: () => c,
  };
}

export interface AgainstMinimum {
  customers: number;
  atMinimum: number;
  /** First attempts beyond the minimum, summed over customers (and how many customers had any). */
  extraFirst: number;
  customersOver: number;
  /** Customers read with fewer first calls than the minimum (a bug in the minimum, or a failed read). */
  customersUnder: number;
}

export function againstMinimum(count: CallCount, minimum: ReadonlyMap<string, number>): AgainstMinimum {
  let atMinimum = 0;
  let extraFirst = 0;
  let customersOver = 0;
  let customersUnder = 0;
  for (const [id, min] of minimum) {
    const made = count.perCustomer.get(id) ?? 0;
    if (made === min) atMinimum++;
    else if (made > min) {
      customersOver++;
      extraFirst += made - min;
    } else customersUnder++;
  }
  return { customers: minimum.size, atMinimum, extraFirst, customersOver, customersUnder };
}
