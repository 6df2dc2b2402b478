/**
 * The request budget as pcplan runs it: the real Partner Center client (transport, budget,
 * retries) over the real wire against a throttling service on 127.0.0.1 whose limits it is never
 * told, on a virtual clock — minutes of traffic in seconds, the same way every run.
 */
import { afterEach, describe, expect, it } from "vitest";
import { load, simClient } from "./helpers/sim-client.js";
import { startThrottlingService, type Limits, type ThrottlingService } from "./helpers/throttling-service.js";
import { VirtualClock } from "./helpers/virtual-clock.js";

let service: ThrottlingService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function world(limits: Limits): Promise<{ clock: VirtualClock; service: ThrottlingService }> {
  const clock = new VirtualClock();
  service = await startThrottlingService(clock.now, limits);
  return { clock, service };
}

describe("request budget over the wire (virtual clock, hidden limits)", () => {
  it("converges from below to just under a fixed partner limit it is never told", async () => {
    const { clock, service } = await world({ partnerRps: 50 });
    const { client, read } = simClient(clock, service, 40);
    await clock.run(load(clock, 30_000, 16, () => read()));

    // Starts at 10 requests/s and climbs: the first second stays well below the limit.
    expect(service.acceptedRate(0, 1000)).toBeLessThan(0.7 * 50 + 50);
    // Then settles just under it: the last 15 s run at 85–100% of the limit.
    expect(service.acceptedRate(15_000, 30_000)).toBeGreaterThan(0.85 * 50);
    expect(client.stats().effectiveRps).toBeGreaterThan(0.8 * 50);
    expect(client.stats().effectiveRps).toBeLessThan(1.3 * 50);
    expect(service.throttled() / service.log.length).toBeLessThan(0.02);
  });
});
