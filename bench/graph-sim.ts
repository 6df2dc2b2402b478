/**
 * Graph's licence reads of the licences bench (bench/licenses.ts) on the simulated clock: the
 * real Graph client, transport and request budget over the real wire against the throttling
 * service of the budget's tests (per app and per tenant token buckets, the sandbox's), whose
 * limits the client is never told. Per tenant: its token (one round trip,
 * `TOKEN_REQUESTS_IN_FLIGHT` at a time, as src/graph/auth.ts asks), its subscribed SKUs, then
 * where the source is consumed its holders' page. Time is the simulated clock's: the budget's decisions, not this machine's CPU.
 */
import pLimit from "p-limit";
import { TOKEN_REQUESTS_IN_FLIGHT } from "../src/graph/auth.js";
import { createGraphClient } from "../src/graph/client.js";
import { createGraphHttp } from "../src/graph/transport-http.js";
import { createRequestBudget } from "../src/http/options.js";
import { startThrottlingService } from "../test/http/helpers/throttling-service.js";
import { VirtualClock } from "../test/http/helpers/virtual-clock.js";

/**
 * Graph's lower bound for `calls` at Graph's per-app limit: (calls − burst) / rate, plus two
 * round trips no client can overlap with it — the first tenant's token before its first Graph
 * request, and the way to the service of the last one (the sandbox's latency is the round trip).
 */
export const graphAppBound = (calls: number, rate: number, latencyMs: number) => 2 * latencyMs + (Math.max(0, calls - rate) / rate) * 1000;

export interface GraphSimOptions {
  /** Per tenant: its requests (1: the subscribed SKUs; 2: and one page of holders). */
  tenants: readonly number[];
  appRps: number;
  tenantRps: number;
  latencyMs: number;
  /** Tenants read at once (the engine's customers in flight). */
  concurrency?: number;
}

export interface GraphSimRun {
  virtualMs: number;
  boundMs: number;
  calls: number;
  throttled: { app: number; tenant: number };
  firstMs: number;
  /** Requests the service saw per 100 ms. */
  perSlot: number[];
}

const SKU = "4b585984-651b-448a-9e53-3b10f069cf7f";

export async function simulateGraph(o: GraphSimOptions): Promise<GraphSimRun> {
  const clock = new VirtualClock();
  const service = await startThrottlingService(clock.now, { partnerRps: o.appRps, tenantRps: o.tenantRps });
  try {
    const tokenLimit = pLimit(TOKEN_REQUESTS_IN_FLIGHT);
    const cached = new Map<string, Promise<string>>();
    const tokens = (tenant: string) => {
      let t = cached.get(tenant);
      if (!t) cached.set(tenant, (t = tokenLimit(() => clock.sleep(o.latencyMs).then(() => `tenant-${tenant}`))));
      return t;
    };
    let seed = 7;
    const budget = createRequestBudget({ clock });
    const http = createGraphHttp({
      endpoint: service.origin,
      tokens,
      budget,
      clock,
      fetch: clock.fetch(o.latencyMs),
      random: () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646,
    });
    const graph = createGraphClient({ endpoint: service.origin, tokens, http, partnerTenant: "partner", principal: { kind: "app", clientId: "sim" } });
    const customers = pLimit(o.concurrency ?? 256);
    const read = async (tenant: string, calls: number) => {
      await graph.subscribedSkus(tenant);
      if (calls > 1) await graph.holdersOf(tenant, SKU);
    };
    await clock.run(Promise.all(o.tenants.map((calls, i) => customers(() => read(`t${i}`, calls)))));
    const calls = o.tenants.reduce((a, b) => a + b, 0);
    const log = service.log;
    const perSlot: number[] = [];
    for (const e of log) {
      const i = Math.floor(e.at / 100);
      while (perSlot.length <= i) perSlot.push(0);
      perSlot[i] = (perSlot[i] ?? 0) + 1;
    }
    return {
      virtualMs: clock.now(),
      boundMs: graphAppBound(calls, o.appRps, o.latencyMs),
      calls: log.length,
      throttled: { app: log.filter((e) => e.by === "partner").length, tenant: log.filter((e) => e.by === "tenant").length },
      firstMs: log[0]?.at ?? Number.NaN,
      perSlot,
    };
  } finally {
    await service.close();
  }
}
