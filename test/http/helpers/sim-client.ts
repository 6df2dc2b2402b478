/**
 * The Partner Center client as pcplan builds it, on a virtual clock (virtual-clock.ts), against a
 * throttling service (throttling-service.ts): the real transport, request budget and retries over
 * the real wire, with the service's limits hidden from it.
 */
import { createPartnerCenterClient, type ClientOptions, type PartnerCenterClient } from "../../../src/partner-center/client.js";
import type { ClientEvent } from "../../../src/http/events.js";
import type { VirtualClock } from "./virtual-clock.js";
import type { ThrottlingService } from "./throttling-service.js";

export const TOKEN = "sim-token-0123456789";

export interface SimClient {
  client: PartnerCenterClient;
  events: ClientEvent[];
  /** One customer-scoped read (below `/customers/{id}/`); `undefined` id: a partner-wide one. */
  read: (customer?: string) => Promise<void>;
}

export function simClient(clock: VirtualClock, service: ThrottlingService, latencyMs: number, extra: Partial<ClientOptions> = {}): SimClient {
  const events: ClientEvent[] = [];
  let seed = 1;
  const client = createPartnerCenterClient({
    endpoint: service.url,
    token: () => Promise.resolve(TOKEN),
    clock,
    fetch: clock.fetch(latencyMs),
    // A seeded random source: the same jitter on every run.
    random: () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  const read = async (customer?: string) => {
    await (customer === undefined ? client.listCustomers() : client.listSubscribedSkus(customer));
  };
  return { client, events, read };
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
