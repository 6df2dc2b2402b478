/**
 * The request budget as pcplan runs it: the real Partner Center client (transport, budget,
 * retries) over the real wire against a throttling service on 127.0.0.1 whose limits it is never
 * told, on a virtual clock — minutes of traffic in seconds, the same way every run.
 */
import { afterEach, describe, expect, it } from "vitest";
import { load, simClient, simGraph } from "./helpers/sim-client.js";
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

const partnerOf = (s: ReturnType<ReturnType<typeof simClient>["client"]["stats"]>) => s.budgets.find((b) => b.kind === "partner");
const tenantsOf = (s: ReturnType<ReturnType<typeof simClient>["client"]["stats"]>) => s.budgets.find((b) => b.kind === "tenant");

describe("a partner limit it is never told", () => {
  it("converges from below: slow start from 10 requests/s finds the limit within a second, then settles just under it with few 429s", async () => {
    const { clock, service } = await world({ partnerRps: 50 });
    const { client, events, read } = simClient(clock, service, 40);
    await clock.run(load(clock, 30_000, 16, () => read()));

    // The first 429s come once the service's burst is spent; the cut reads its refill off the
    // requests sent after them (measured: 50 a second) and goes to 0.9 of it, not 0.7.
    const firstCut = events.find((e) => e.type === "rate");
    expect(firstCut).toMatchObject({ kind: "partner" });
    expect(firstCut?.type === "rate" && firstCut.acceptedRps).toBeGreaterThan(45);
    expect(firstCut?.type === "rate" && firstCut.acceptedRps).toBeLessThan(56);
    expect(firstCut?.type === "rate" && firstCut.rps / firstCut.acceptedRps).toBeCloseTo(0.9, 5);
    expect(service.log.findIndex((e) => e.status === 429)).toBeGreaterThan(50);
    expect(service.log.find((e) => e.status === 429)?.at).toBeLessThan(1500);
    // Then settles just under it: the last 15 s run at 85–100% of the limit.
    expect(service.acceptedRate(15_000, 30_000)).toBeGreaterThan(0.85 * 50);
    expect(client.stats().effectiveRps).toBeGreaterThan(0.8 * 50);
    expect(client.stats().effectiveRps).toBeLessThan(1.3 * 50);
    expect(service.throttled() / service.log.length).toBeLessThan(0.02);
  });

  it("converges from above: started far over the limit, it comes down once and settles under it", async () => {
    const { clock, service } = await world({ partnerRps: 40 });
    const { client, read } = simClient(clock, service, 40, { initialRps: 1000, maxInFlight: 64 });
    await clock.run(load(clock, 30_000, 32, () => read()));

    expect(client.stats().effectiveRps).toBeLessThan(1.3 * 40);
    expect(client.stats().effectiveRps).toBeGreaterThan(0.7 * 40);
    expect(service.acceptedRate(10_000, 30_000)).toBeGreaterThan(0.85 * 40);
    // The overshoot is paid once, up front: in the last 20 s hardly any 429.
    const late = service.log.filter((e) => e.at >= 10_000);
    expect(late.filter((e) => e.status === 429).length / late.length).toBeLessThan(0.02);
  });

  it("after a storm of 429s the rate climbs back within seconds once the service allows it again", async () => {
    const { clock, service } = await world({ partnerRps: 50 });
    const { read } = simClient(clock, service, 40);
    const storm = (async () => {
      await clock.sleep(10_000);
      service.limits.partnerRps = 1; // a few seconds of almost nothing but 429s
      await clock.sleep(4_000);
      service.limits.partnerRps = 50;
    })();
    await clock.run(Promise.all([load(clock, 40_000, 16, () => read()), storm]));

    expect(service.throttled()).toBeGreaterThan(0);
    expect(service.acceptedRate(11_000, 14_000)).toBeLessThan(5);
    // Back near the limit within seconds, not minutes.
    expect(service.acceptedRate(25_000, 40_000)).toBeGreaterThan(0.85 * 50);
  });

  it("a partner limit that falls while a few tenants are busy is found, and those tenants are not held to a limit they do not have", async () => {
    // 100 requests/s, then 40 (another application of the partner using the rest): the partner
    // still sends below the rate it was last throttled at, so the 429s that land on the busy
    // tenants alone could pass for theirs; the quiet tenants' 429s show it is the partner's.
    const { clock, service } = await world({ partnerRps: 100 });
    const { client, read } = simClient(clock, service, 40);
    const quiet = (tenant: string) => async () => {
      while (clock.now() < 30_000) {
        await read(tenant);
        await clock.sleep(400);
      }
    };
    const falls = (async () => {
      await clock.sleep(10_000);
      service.limits.partnerRps = 40;
    })();
    const busy = ["a", "b", "c", "d"].map((t) => load(clock, 30_000, 8, () => read(t)));
    await clock.run(Promise.all([...busy, ...Array.from({ length: 20 }, (_, i) => quiet(`q${i}`)()), falls]));

    const late = service.log.filter((e) => e.at >= 15_000);
    expect(late.filter((e) => e.status === 429).length / late.length).toBeLessThan(0.01);
    expect(service.acceptedRate(15_000, 30_000)).toBeGreaterThan(0.9 * 40);
    // Each busy tenant sent some 10 requests a second; no limit of 5 learned from the partner's 429s.
    expect(tenantsOf(client.stats())?.rps).toBeGreaterThan(10);
  });

  it("keeps to --max-rps when it is lower than the service's limit, and never draws a 429", async () => {
    const { clock, service } = await world({ partnerRps: 100 });
    const { read } = simClient(clock, service, 40, { maxRps: 20 });
    await clock.run(load(clock, 10_000, 16, () => read()));
    for (let t = 1000; t < 10_000; t += 1000) expect(service.acceptedRate(t, t + 1000)).toBeLessThanOrEqual(20);
    expect(service.acceptedRate(3_000, 10_000)).toBeGreaterThan(17);
    expect(service.throttled()).toBe(0);
  });
});

describe("customer tenants", () => {
  it("a throttled tenant among others slows itself, never the partner; the others are not held back", async () => {
    const { clock, service } = await world({ partnerRps: 200, tenantRps: 5 });
    const { client, read } = simClient(clock, service, 40);
    const quiet: { at: number; took: number }[] = [];
    // Twelve tenants sending 4 requests a second each, under their limit, for 20 s.
    const steady = (tenant: string) => async () => {
      for (let i = 0; i < 80; i++) {
        const started = clock.now();
        await read(tenant);
        quiet.push({ at: started, took: clock.now() - started });
        await clock.sleep(250);
      }
    };
    const others = Array.from({ length: 12 }, (_, i) => steady(`quiet${i}`)());
    await clock.run(Promise.all([load(clock, 20_000, 16, () => read("busy")), ...others]));

    // The busy tenant is held near its limit, with few 429s once its limit is learned…
    expect(service.acceptedRate(8_000, 20_000, "busy")).toBeGreaterThan(0.8 * 5);
    expect(service.acceptedRate(8_000, 20_000, "busy")).toBeLessThanOrEqual(5.5);
    expect(service.log.filter((e) => e.tenant === "busy" && e.at >= 8_000 && e.status === 429).length).toBeLessThan(6);
    expect(partnerOf(client.stats())?.cuts).toBe(0);
    expect(tenantsOf(client.stats())?.rps).toBeGreaterThan(3);
    // …while the quiet tenants never got a 429 and, but for the partner's short hold while the
    // first 429s were judged, were answered within about a round trip (40 ms).
    expect(service.log.filter((e) => e.status === 429 && e.tenant !== "busy")).toEqual([]);
    expect(Math.max(...quiet.map((q) => q.took))).toBeLessThan(500);
    expect(Math.max(...quiet.filter((q) => q.at > 2000).map((q) => q.took))).toBeLessThan(60);
  });

  it("one tenant that is nearly all the traffic: its limit and the partner's cannot be told apart, and either way it runs at its limit with few 429s", async () => {
    const { clock, service } = await world({ partnerRps: 100, tenantRps: 5 });
    const { read } = simClient(clock, service, 40);
    await clock.run(load(clock, 20_000, 16, () => read("busy")));
    expect(service.acceptedRate(5_000, 20_000, "busy")).toBeGreaterThan(0.75 * 5);
    expect(service.throttled() / service.log.length).toBeLessThan(0.1);
  });

  it("tenants share the partner's limit: two busy tenants each get about half, and no tenant limit is learned", async () => {
    const { clock, service } = await world({ partnerRps: 50 });
    const { client, read } = simClient(clock, service, 40);
    await clock.run(Promise.all([load(clock, 20_000, 16, () => read("a")), load(clock, 20_000, 16, () => read("b"))]));

    const late = service.log.filter((e) => e.at >= 8_000 && e.status === 200);
    const shareA = late.filter((e) => e.tenant === "a").length / late.length;
    expect(shareA).toBeGreaterThan(0.4);
    expect(shareA).toBeLessThan(0.6);
    expect(tenantsOf(client.stats())?.rps).toBeNull();
    expect(service.acceptedRate(8_000, 20_000)).toBeGreaterThan(0.8 * 50);
  });
});

describe("what the budget reports", () => {
  it("its wait as wall time: sixteen requests waiting together for a second count one second, not sixteen", async () => {
    const { clock, service } = await world({ partnerRps: 0 });
    const { client, read } = simClient(clock, service, 40, { maxRps: 8 });
    const started = clock.now();
    await clock.run(Promise.all(Array.from({ length: 24 }, () => read())));
    const elapsed = clock.now() - started;
    const { waitMs } = client.stats();
    // 24 requests at 8/s: the first 8 at once, the rest over two seconds.
    expect(waitMs).toBeGreaterThanOrEqual(1900);
    expect(waitMs).toBeLessThanOrEqual(elapsed);
  });
});

describe("a Graph $batch", () => {
  it("draws as many requests from the budget as it carries members: the per-app limit is kept with few members refused", async () => {
    const clock = new VirtualClock();
    service = await startThrottlingService(clock.now, { partnerRps: 40 });
    const graph = simGraph(clock, service, 40, { kind: "user" }, 3);
    const move = (n: number) => ({
      userId: `u${n}`,
      assign: ["4b585984-651b-448a-9e53-3b10f069cf7f"],
      remove: ["b8b749f8-a4ef-4887-9539-c95b1eaa5db7"],
      requestId: `m${n}`,
    });
    // Batches of four licence changes, from twelve tenants at once.
    await clock.run(
      load(clock, 20_000, 12, (i) =>
        graph
          .assignLicenses(
            `t${i % 12}`,
            [0, 1, 2, 3].map((k) => move(4 * i + k)),
          )
          .then(() => undefined),
      ),
    );
    const members = service.log.filter((e) => e.member);
    expect(service.acceptedRate(8_000, 20_000)).toBeGreaterThan(0.85 * 40);
    expect(members.filter((e) => e.status === 429).length / members.length).toBeLessThan(0.03);
  });
});
