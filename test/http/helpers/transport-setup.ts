/**
 * A `Transport` (src/http/transport.ts) as an adapter builds one, on a clock whose waits pass at
 * once and are recorded, against a wire-level fake on 127.0.0.1 (test/helpers/fake-server.ts):
 * the transport's own tests, without an adapter's error mapping in between.
 */
import { createRequestBudget } from "../../../src/http/options.js";
import type { ClientEvent } from "../../../src/http/events.js";
import { partnerScope, tenantScope } from "../../../src/http/scopes.js";
import { Transport, type TransportOptions } from "../../../src/http/transport.js";
import type { FakeServer } from "../../helpers/fake-server.js";

/** A token long enough to be registered as a secret (redact.ts) and recognisable in output. */
export const TOKEN = "transport-token-0123456789";

export const SERVICE = "Test Service";

export interface TestTransport {
  transport: Transport;
  events: ClientEvent[];
  /** Every wait the transport (or its budget) asked of the clock, in ms. */
  sleeps: number[];
  now: () => number;
  url: (path: string) => URL;
}

/**
 * Retries: 2, backoff base 200 ms (cap 20 s), Retry-After waited up to 60 s; `random` 0 unless
 * given (no jitter: every wait is exact). A path below `/v1/tenants/<id>/` also draws from that
 * tenant's scope, as an adapter's rule table would say.
 */
export function makeTransport(server: FakeServer, extra: Partial<TransportOptions> = {}): TestTransport {
  let t = 1_700_000_000_000;
  const sleeps: number[] = [];
  const clock = {
    now: () => t,
    sleep: (ms: number) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
    timeout: (ms: number) => AbortSignal.timeout(ms),
  };
  const events: ClientEvent[] = [];
  const transport = new Transport({
    service: SERVICE,
    headers: (requestId) => ({ "X-Request-Id": requestId, "X-Correlation-Id": "corr-1" }),
    correlationId: "corr-1",
    token: () => Promise.resolve(TOKEN),
    retry: { maxRetries: 2, baseDelayMs: 200, maxDelayMs: 20_000, maxWaitMs: 60_000 },
    timeoutMs: 10_000,
    // The budget on the transport's clock, whichever it is.
    budget: createRequestBudget({ clock: extra.clock ?? clock }),
    scopes: (url, tenant) => {
      const m = /^\/v1\/tenants\/([^/]+)\//.exec(url.pathname);
      const id = m?.[1] ?? tenant;
      return id ? [tenantScope(url.host, id), partnerScope(url.host)] : [partnerScope(url.host)];
    },
    clock,
    random: () => 0,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { transport, events, sleeps, now: clock.now, url: (path) => new URL(`${server.url}${path}`) };
}

/** The events of one type, typed. */
export function eventsOf<T extends ClientEvent["type"]>(events: ClientEvent[], type: T): Extract<ClientEvent, { type: T }>[] {
  return events.filter((e): e is Extract<ClientEvent, { type: T }> => e.type === type);
}
