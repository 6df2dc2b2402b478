/**
 * The Partner Center client as pcplan builds it, on a virtual clock (virtual-clock.ts), against a
 * throttling service (throttling-service.ts): the real transport, request budget and retries over
 * the real wire, with the service's limits hidden from it.
 */
import { createGraphClient, type GraphClient, type GraphClientOptions } from "../../../src/graph/client.js";
import { createGraphHttp } from "../../../src/graph/transport-http.js";
import { createPartnerCenterClient, type ClientOptions, type PartnerCenterClient } from "../../../src/partner-center/client.js";
import type { ClientEvent } from "../../../src/http/events.js";
import { createRequestBudget } from "../../../src/http/options.js";
import type { VirtualClock } from "./virtual-clock.js";
import type { ThrottlingService } from "./throttling-service.js";

export const TOKEN = "sim-token-0123456789";

/** A seeded random source (Park–Miller): the same jitter on every run. */
export function seeded(seed: number): () => number {
  return () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
}

export interface SimClient {
  client: PartnerCenterClient;
  events: ClientEvent[];
  /** One customer-scoped read (below `/customers/{id}/`); `undefined` id: a partner-wide one. */
  read: (customer?: string) => Promise<void>;
  /** The client's hint that about `requests` more reads of the customer are to come. */
  expect: (customer: string, requests: number) => void;
}

export function simClient(clock: VirtualClock, service: ThrottlingService, latencyMs: number, extra: Partial<ClientOptions> = {}): SimClient {
  const events: ClientEvent[] = [];
  const client = createPartnerCenterClient({
    endpoint: service.url,
    token: () => Promise.resolve(TOKEN),
    clock,
    fetch: clock.fetch(latencyMs),
    random: seeded(1),
    onEvent: (e) => events.push(e),
    ...extra,
  });
  const read = async (customer?: string) => {
    await (customer === undefined ? client.listCustomers() : client.listSubscribedSkus(customer));
  };
  return { client, events, read, expect: (customer, requests) => client.expect?.(customer, requests) };
}

/** `workers` loops doing `job(i)` (i counting up) until `until` ms of the clock. */
export function load(clock: VirtualClock, until: number, workers: number, job: (i: number) => Promise<void>): Promise<void> {
  let i = 0;
  return Promise.all(
    Array.from({ length: workers }, async () => {
      while (clock.now() < until) await job(i++);
    }),
  ).then(() => undefined);
}

/** The Graph client as pcplan builds it, on the virtual clock against the throttling service's Graph side: one token per tenant, a budget of its own. */
export function simGraph(
  clock: VirtualClock,
  service: ThrottlingService,
  latencyMs: number,
  principal: GraphClientOptions["principal"],
  seed: number,
): GraphClient {
  const tokens = (tenant: string) => Promise.resolve(`tenant-${tenant}`);
  const http = createGraphHttp({
    endpoint: service.origin,
    tokens,
    budget: createRequestBudget({ clock }),
    clock,
    fetch: clock.fetch(latencyMs),
    random: seeded(seed),
  });
  return createGraphClient({ endpoint: service.origin, tokens, http, partnerTenant: "partner", principal });
}
