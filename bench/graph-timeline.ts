/**
 * Where a Graph run's wall time goes (issue 27): when the first Graph request went, the token
 * requests before and around it, the requests sent per 100 ms, the 429s and which of the
 * sandbox's limits each one can have hit, the waits they caused and the budget's rate cuts.
 * Times are ms since the run's start (`performance.now()`).
 */
import type { ClientEvent } from "../src/http/events.js";

export interface GraphTimeline {
  /** First Graph request on the wire, and the last answer. */
  firstGraphMs: number;
  lastGraphMs: number;
  /** Token requests: the first sent, the last answered, how many were answered before the first Graph request. */
  tokens: { firstMs: number; lastMs: number; beforeFirstGraph: number; count: number };
  /** 429s: those a tenant's own bucket cannot have refused (it had sent under its burst in the second before), the others. */
  throttled: { perApp: number; perTenantPossible: number; firstMs: number };
  /** Wall time in Retry-After waits (some request waiting out a 429; overlaps not summed). */
  retryWaitMs: number;
  /** Wall time after the first Graph request in 100 ms slots with no Graph request sent. */
  idleMs: number;
  /** Requests sent per 100 ms slot from the run's start. */
  perSlot: number[];
  /** Rate cuts of the Graph host's budget: [ms, new rate]. */
  cuts: [number, number][];
}

const SLOT_MS = 100;

/** Records a Graph run's events from `begin()`; `result()` summarises them. `tenantBurst`: the per-tenant limit's bucket. */
export function graphTimeline(tenantBurst: number) {
  let start = performance.now();
  const at = () => performance.now() - start;
  const sends: { ms: number; tenant: string }[] = [];
  const tokens: { from: number; to: number }[] = [];
  const throttles: { ms: number; tenant: string }[] = [];
  const waits: [number, number][] = [];
  const cuts: [number, number][] = [];
  let lastAnswer = 0;
  return {
    begin: () => (start = performance.now()),
    /** A Graph request on the wire, for `tenant`. */
    sent: (tenant: string) => sends.push({ ms: at(), tenant }),
    answered: () => (lastAnswer = at()),
    token: () => {
      const t = { from: at(), to: Number.NaN };
      tokens.push(t);
      return () => (t.to = at());
    },
    /** A 429 answered to a request for `tenant`. */
    throttled: (tenant: string) => throttles.push({ ms: at(), tenant }),
    /** The Graph layer's events: its waits after a 429. */
    event: (e: ClientEvent) => {
      if (e.type === "throttled") waits.push([at(), at() + e.delayMs]);
    },
    /** The Graph host's budget was cut to `rps`. */
    cut: (rps: number) => cuts.push([at(), rps]),
    result: (): GraphTimeline => summarise({ sends, tokens, throttles, waits, cuts, lastAnswer }, tenantBurst),
  };
}

interface Raw {
  sends: { ms: number; tenant: string }[];
  tokens: { from: number; to: number }[];
  throttles: { ms: number; tenant: string }[];
  waits: [number, number][];
  cuts: [number, number][];
  lastAnswer: number;
}

function summarise(r: Raw, tenantBurst: number): GraphTimeline {
  const firstGraphMs = r.sends[0]?.ms ?? Number.NaN;
  const perSlot: number[] = [];
  for (const s of r.sends) {
    const i = Math.floor(s.ms / SLOT_MS);
    while (perSlot.length <= i) perSlot.push(0);
    perSlot[i] = (perSlot[i] ?? 0) + 1;
  }
  const firstSlot = Math.floor(firstGraphMs / SLOT_MS);
  const idleMs = perSlot.filter((n, i) => i >= firstSlot && n === 0).length * SLOT_MS;
  // A tenant's bucket holds `tenantBurst`: a tenant that sent fewer in the second before its 429 still had some.
  const sentBefore = (t: { ms: number; tenant: string }) => r.sends.filter((s) => s.tenant === t.tenant && s.ms <= t.ms && s.ms > t.ms - 1000).length;
  const perTenantPossible = tenantBurst > 0 ? r.throttles.filter((t) => sentBefore(t) >= tenantBurst).length : 0;
  return {
    firstGraphMs,
    lastGraphMs: r.lastAnswer,
    tokens: {
      firstMs: Math.min(...r.tokens.map((t) => t.from)),
      lastMs: Math.max(...r.tokens.map((t) => t.to)),
      beforeFirstGraph: r.tokens.filter((t) => t.to <= firstGraphMs).length,
      count: r.tokens.length,
    },
    throttled: { perApp: r.throttles.length - perTenantPossible, perTenantPossible, firstMs: r.throttles[0]?.ms ?? Number.NaN },
    retryWaitMs: unionMs(r.waits),
    idleMs,
    perSlot,
    cuts: r.cuts,
  };
}

/** Total length of a union of intervals. */
function unionMs(spans: [number, number][]): number {
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}
