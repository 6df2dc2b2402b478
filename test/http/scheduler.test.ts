/**
 * Which waiting request goes next (src/http/budget/scheduler.ts), on a virtual clock with real
 * lanes as the budgets: a request goes when every lane it draws from allows it and its host has a
 * place on the wire free; a held-back tenant holds nobody up; queues share the partner's rate in proportion
 * to what each has waiting; the wall time some request waited is kept.
 */
import { describe, expect, it } from "vitest";
import { Lane } from "../../src/http/budget/lane.js";
import { Scheduler } from "../../src/http/budget/scheduler.js";
import { partnerScope, tenantScope } from "../../src/http/scopes.js";
import { VirtualClock } from "./helpers/virtual-clock.js";

/** A lane of `rps` requests/s (a tenant's of `host`, or `host`'s own). */
function gate(clock: VirtualClock, rps: number, tenant?: string, host = "pc"): Lane {
  return new Lane(tenant ? tenantScope(host, tenant) : partnerScope(host), () => rps, clock.now());
}

const scheduler = (clock: VirtualClock, maxInFlight: number) => new Scheduler(clock, maxInFlight, (lane, now, weight) => lane.readyAt(now, weight));

/**
 * One place on the wire and a partner rate that never holds: the order queues go in, one turn at
 * a time (`step`: the request on the wire is answered, the next goes). `queue(q, n)`: n requests
 * of q asked for; `next(n)`: the queues of the next n turns; `drain()`: every turn to the last.
 */
function turns() {
  const clock = new VirtualClock();
  const d = scheduler(clock, 1);
  const partner = gate(clock, 1000);
  const order: string[] = [];
  const asked: Promise<void>[] = [];
  const request = (q: string) => {
    const sent = d.wait(q, [partner], 1).then(() => void order.push(q));
    asked.push(sent);
    return sent;
  };
  const step = async () => {
    d.done(partner);
    await new Promise((r) => setImmediate(r));
  };
  // Awaited by `drain`, with every other request asked for.
  const queue = (q: string, n: number): void => {
    for (let i = 0; i < n; i++) void request(q);
  };
  const next = async (n: number) => {
    const from = order.length;
    for (let i = 0; i < n; i++) await step();
    return order.slice(from, from + n).join("");
  };
  const drain = async () => {
    while (d.queued > 0) await step();
    await Promise.all(asked);
  };
  return { d, order, request, step, queue, next, drain };
}

describe("scheduler", () => {
  it("needs at least one place on the wire", () => {
    const clock = new VirtualClock();
    expect(() => scheduler(clock, 0)).toThrow(RangeError);
    expect(() => scheduler(clock, Number.NaN)).toThrow("requests in flight must be >= 1, got NaN");
  });

  it("sends at once what every budget allows, up to the places on the wire; the rest when a place frees", async () => {
    const clock = new VirtualClock();
    const d = scheduler(clock, 2);
    const partner = gate(clock, 100);
    const sent: string[] = [];
    const request = (name: string) => d.wait("p", [partner], 1).then(() => void sent.push(name));
    const all = [request("a"), request("b"), request("c")];
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual(["a", "b"]);
    expect([d.inFlight, d.queued]).toEqual([2, 1]);
    d.done(partner);
    await Promise.all(all);
    expect(sent).toEqual(["a", "b", "c"]);
    expect([d.inFlight, d.queued]).toEqual([2, 0]);
    d.done(partner);
    d.done(partner);
    d.done(partner);
    expect(d.inFlight).toBe(0);
  });

  it("counts the places on the wire per host: one service's requests in flight never hold another's", async () => {
    const clock = new VirtualClock();
    const d = scheduler(clock, 2);
    const pc = gate(clock, 1000);
    const graph = gate(clock, 1000, undefined, "graph");
    const sent: string[] = [];
    const request = (host: Lane, name: string) => d.wait(name, [host], 1).then(() => void sent.push(name));
    const all = [request(pc, "pc1"), request(pc, "pc2"), request(pc, "pc3"), request(graph, "g1"), request(graph, "g2"), request(graph, "g3")];
    await new Promise((r) => setImmediate(r));
    // Partner Center's two places are taken; Graph's two go all the same.
    expect(sent.sort()).toEqual(["g1", "g2", "pc1", "pc2"]);
    expect([d.inFlight, d.queued]).toEqual([4, 2]);
    // An answer from Graph frees a place of Graph's, not of Partner Center's.
    d.done(graph);
    await new Promise((r) => setImmediate(r));
    expect(sent).toContain("g3");
    expect(sent).not.toContain("pc3");
    d.done(pc);
    await Promise.all(all);
    expect(d.inFlight).toBe(4);
  });

  it("waits for the partner's budget, telling it that it is what holds the requests back", async () => {
    const clock = new VirtualClock();
    const d = scheduler(clock, 10);
    const partner = gate(clock, 2);
    const at: number[] = [];
    const work = Promise.all(Array.from({ length: 4 }, () => d.wait("p", [partner], 1).then(() => void at.push(clock.now()))));
    await clock.run(work);
    expect(at).toEqual([0, 0, 500, 1000]);
    expect(partner.heldAt).toBe(500);
  });

  it("a tenant held back by its own budget holds up nobody else", async () => {
    const clock = new VirtualClock();
    const d = scheduler(clock, 10);
    const partner = gate(clock, 100);
    const slow = gate(clock, 1, "slow");
    const quick = gate(clock, 100, "quick");
    const done: string[] = [];
    const work = Promise.all([
      ...Array.from({ length: 3 }, (_, i) => d.wait("slow", [slow, partner], 1).then(() => void done.push(`slow${i}@${clock.now()}`))),
      ...Array.from({ length: 3 }, (_, i) => d.wait("quick", [quick, partner], 1).then(() => void done.push(`quick${i}@${clock.now()}`))),
    ]);
    await clock.run(work);
    expect(done.filter((x) => x.startsWith("quick"))).toEqual(["quick0@0", "quick1@0", "quick2@0"]);
    expect(done.filter((x) => x.startsWith("slow"))).toEqual(["slow0@0", "slow1@1000", "slow2@2000"]);
    expect(slow.heldAt).toBeGreaterThan(0);
    expect(quick.heldAt).toBe(Number.NEGATIVE_INFINITY);
    expect(partner.heldAt).toBe(Number.NEGATIVE_INFINITY);
  });

  it("serves queues in proportion to what each has waiting, not in turns", async () => {
    const { order, request, step } = turns();
    const first = request("a");
    await first;
    const rest = [...Array.from({ length: 5 }, () => request("a")), request("b"), request("b")];
    for (let i = 0; i < rest.length; i++) await step();
    await Promise.all(rest);
    // a's pass grows by 1/5, 1/4, 1/3…, b's by 1/2: a goes twice for each of b's.
    expect(order).toEqual(["a", "a", "b", "a", "a", "b", "a", "a"]);
  });

  it("a queue that starts later joins at the virtual time: it gets its share, and no run of turns ahead of the others", async () => {
    const { order, request, step } = turns();
    const first = request("a");
    await first;
    const rest = [request("a"), request("a"), request("b"), request("b"), request("b")];
    for (let i = 0; i < 3; i++) await step();
    expect(order).toEqual(["a", "a", "b", "b"]);
    // c starts at the virtual time (not at the start, nor at the pass last served).
    const late = [request("c"), request("c"), request("c")];
    for (let i = 0; i < 5; i++) await step();
    await Promise.all([...rest, ...late]);
    expect(order.slice(4)).toEqual(["a", "c", "b", "c", "c"]);
  });

  it("a queue that keeps starting afresh (one request at a time) does not keep a busy queue waiting: the virtual time moves on", async () => {
    const { order, request, step } = turns();
    await request("busy");
    const busy = Array.from({ length: 4 }, () => request("busy"));
    // A lone request of another tenant arrives each time one is served: it must not win every turn.
    const lone: Promise<void>[] = [];
    for (let i = 0; i < 12; i++) {
      if (i < 8) lone.push(request(`lone${i}`));
      await step();
    }
    await Promise.all([...busy, ...lone]);
    expect(order.slice(1, 9).filter((q) => q === "busy").length).toBeGreaterThanOrEqual(3);
  });

  it("a queue that went with little waiting and then gets more is served by what it has now, not by the stride it went with", async () => {
    const { order, request, step, queue, next, drain } = turns();
    // A customer's first two reads (its user page and its orders) beside a busy queue of 40.
    await request("x");
    queue("x", 40);
    queue("c", 2);
    while (!order.includes("c")) await step();
    // Its user page went with one read behind it; then its 30 licence reads arrive.
    queue("c", 30);
    // Now 31 waiting against 38: it goes about as often as the busy queue, and not ahead of it.
    // With the stride it went with (half a turn, while the virtual time moves by 1/70 a request)
    // it waited ~20 turns; moved before the virtual time, it took 7 of these 10.
    expect(await next(10)).toBe("xxcxcxcxxc");
    await drain();
    expect(order.filter((q) => q === "c")).toHaveLength(32);
  });

  it("a queue whose caller said more is to come is served by that, not by the little that waits yet", async () => {
    const { d, order, request, queue, next, drain } = turns();
    await request("x");
    queue("x", 20);
    queue("c", 4);
    // c's customer will read 20 users; only its first 4 reads are asked for yet.
    d.expect("c", 20);
    // 20 to come in each: they take turns. By what waits alone (20 against 4), c goes twice in these 8.
    expect(await next(8)).toBe("xcxcxcxc");
    await drain();
    expect(order.filter((q) => q === "c")).toHaveLength(4);
  });

  it("…and told so after it went with little waiting, it is served by that at once, not after the stride it went with", async () => {
    const { d, order, request, step, queue, next, drain } = turns();
    await request("x");
    queue("x", 40);
    queue("c", 2);
    while (!order.includes("c")) await step();
    // c went with two waiting: half a turn to its next, while the virtual time moves by 1/42 a request.
    d.expect("c", 40);
    expect(await next(4)).toContain("c");
    await drain();
  });

  it("keeps the wall time some request waited, however many waited together", async () => {
    const clock = new VirtualClock();
    const d = scheduler(clock, 10);
    const partner = gate(clock, 2);
    // Four requests at 2/s: two at once, then at 500 and 1000 ms. Waiting: from 0 to 1000 ms.
    await clock.run(Promise.all(Array.from({ length: 4 }, () => d.wait("p", [partner], 1))));
    expect(d.waitedWallMs(clock.now())).toBe(1000);
    await clock.run(clock.sleep(5000));
    // Idle, the bucket refilled its second: two go at once, the third waits 500 ms.
    await clock.run(Promise.all(Array.from({ length: 3 }, () => d.wait("p", [partner], 1))));
    expect(d.waitedWallMs(clock.now())).toBe(1500);
  });

  it("a request of weight w draws w from every lane it goes through", async () => {
    const clock = new VirtualClock();
    const d = scheduler(clock, 10);
    const partner = gate(clock, 10);
    const at: number[] = [];
    await clock.run(Promise.all([6, 6, 1].map((w) => d.wait("p", [partner], w).then(() => void at.push(clock.now())))));
    expect(at).toEqual([0, 200, 300]);
  });
});
