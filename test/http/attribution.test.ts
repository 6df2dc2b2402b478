/** The judgement of whose limit a group of 429s was (src/http/budget/attribution.ts), rule by rule and at its edges. */
import { describe, expect, it } from "vitest";
import { decideThrottle, type ThrottleGroup, type ThrottleHit } from "../../src/http/budget/attribution.js";
import { tenantScope } from "../../src/http/scopes.js";

/** A throttled request's tenant, as the judgement sees it: its scope's key. */
const tenantOf = (id: string) => tenantScope("pc", id).key;
const [a, b, c, d] = ["a", "b", "c", "d"].map(tenantOf) as [string, string, string, string];

function hit(tenant: string | undefined, extra: Partial<ThrottleHit> = {}): ThrottleHit {
  return { ...(tenant ? { tenant } : {}), sentAt: 0, sentLastSecond: 10, heldAtTenantLimit: false, ...extra };
}

function group(
  hits: ThrottleHit[],
  others: [passed: number, answered: number] = [0, 0],
  partnerSent = 100,
  busy: [from: number, share: number] = [0, 1],
): ThrottleGroup {
  return { hits, others: { passed: others[0], answered: others[1] }, partnerSent, busyFrom: busy[0], busyShare: busy[1] };
}

const fresh = { partnerLastThrottled: 0 };
const verdict = (g: ThrottleGroup, ctx = fresh) => decideThrottle(g, ctx);

describe("whose limit a 429 was", () => {
  it("a partner-wide call's 429 is the partner's, whatever else says otherwise", () => {
    expect(verdict(group([hit(undefined)], [10, 10])).scope).toBe("partner");
    expect(verdict(group([hit(a, { heldAtTenantLimit: true }), hit(undefined)], [10, 10])).scope).toBe("partner");
  });

  it("a lone 429 with nothing to tell by is the partner's: the safe mistake", () => {
    expect(verdict(group([hit(a)]))).toEqual({ scope: "partner" });
  });

  it("others kept passing after the first 429'd request: the tenant's, the one that sent most", () => {
    expect(verdict(group([hit(a)], [8, 8]))).toEqual({ scope: "tenant", tenant: a });
    expect(verdict(group([hit(a, { sentLastSecond: 4 }), hit(b, { sentLastSecond: 9 })], [9, 10]))).toEqual({ scope: "tenant", tenant: b });
  });

  it("…with eight answers of others at least, nine in ten of them passed", () => {
    expect(verdict(group([hit(a)], [7, 7])).scope).toBe("partner");
    expect(verdict(group([hit(a)], [7, 8])).scope).toBe("partner");
    expect(verdict(group([hit(a)], [18, 20])).scope).toBe("tenant");
    expect(verdict(group([hit(a)], [17, 20])).scope).toBe("partner");
  });

  it("…not trusted while the partner sends near the rate it was last throttled at (nine tenths of it) or more: just past its limit, most requests pass, and a limit read off a 429 can be a few per cent high", () => {
    expect(verdict(group([hit(a)], [20, 20], 89), { partnerLastThrottled: 100 }).scope).toBe("tenant");
    expect(verdict(group([hit(a)], [20, 20], 90), { partnerLastThrottled: 100 }).scope).toBe("partner");
    expect(verdict(group([hit(a)], [20, 20], 500), fresh).scope).toBe("tenant");
  });

  it("every 429 on a tenant held at the learned tenant limit, the partner well under its own: that limit is too high", () => {
    const under = { partnerLastThrottled: 1_000 };
    expect(verdict(group([hit(a, { heldAtTenantLimit: true })]), under)).toEqual({ scope: "tenant", tenant: a });
    expect(verdict(group([hit(a, { heldAtTenantLimit: true }), hit(b, { heldAtTenantLimit: true, sentLastSecond: 12 })]), under)).toEqual({
      scope: "tenant",
      tenant: b,
    });
    expect(verdict(group([hit(a, { heldAtTenantLimit: true }), hit(b)]), under).scope).toBe("partner");
  });

  it("…not while the partner's own limit is unknown (slow start runs past it) or near: its 429s land on whoever sends, and held customers send most (issue 27)", () => {
    expect(verdict(group([hit(a, { heldAtTenantLimit: true })]), fresh).scope).toBe("partner");
    expect(verdict(group([hit(a, { heldAtTenantLimit: true })], [0, 0], 899), { partnerLastThrottled: 1_000 }).scope).toBe("tenant");
    expect(verdict(group([hit(a, { heldAtTenantLimit: true })], [0, 0], 900), { partnerLastThrottled: 1_000 }).scope).toBe("partner");
  });

  it("only busy tenants throttled, and a partner-wide limit would have landed all its 429s on them with a chance of one in ten at most: their own limits", () => {
    const busy = (t: string, sentLastSecond = 8) => hit(t, { sentLastSecond });
    // Busy from 6 requests a second; the busy tenants sent half the partner's requests: 0.5⁴ = 1/16.
    expect(verdict(group([busy(a), busy(b), busy(c), busy(d, 9)], [0, 0], 400, [6, 0.5]))).toEqual({ scope: "tenant", tenant: d });
    // 0.5³ = 1/8: could be chance.
    expect(verdict(group([busy(a), busy(b), busy(c)], [0, 0], 400, [6, 0.5])).scope).toBe("partner");
    // One 429 on a busy tenant among many: its share 0.1 is the chance.
    expect(verdict(group([busy(a)], [0, 0], 400, [6, 0.1])).scope).toBe("tenant");
    expect(verdict(group([busy(a)], [0, 0], 400, [6, 0.11])).scope).toBe("partner");
    // One of them not busy: a partner-wide limit refusing whoever came next.
    expect(verdict(group([busy(a), busy(b), busy(c), busy(d, 5.9)], [0, 0], 400, [6, 0.2])).scope).toBe("partner");
    expect(verdict(group([busy(a), busy(b), busy(c), busy(d, 6)], [0, 0], 400, [6, 0.2])).scope).toBe("tenant");
    // No tenant busy (none sent anything to compare with): nothing is told.
    expect(verdict(group([busy(a)], [0, 0], 400, [0, 0])).scope).toBe("partner");
  });

  it("…the partner sending below the rate it was last throttled at: the busy tenants', whatever their share (issue 27: few customers busy)", () => {
    const known = { partnerLastThrottled: 50 };
    const busy = (t: string) => hit(t, { sentLastSecond: 9 });
    // Three large customers of four sent 0.7 of the traffic: 0.7³ could well be chance, but 42
    // requests a second do not empty a bucket that refills 50.
    expect(verdict(group([busy(a), busy(b), busy(c)], [0, 0], 49, [7, 0.7]), known)).toEqual({ scope: "tenant", tenant: a });
    expect(verdict(group([busy(a), busy(b), busy(c)], [0, 0], 50, [7, 0.7]), known).scope).toBe("partner");
    // Before the partner's first throttle nothing is known of its limit: the chance decides.
    expect(verdict(group([busy(a), busy(b), busy(c)], [0, 0], 49, [7, 0.7])).scope).toBe("partner");
    // Another's request refused meanwhile, or a quiet tenant among the throttled: a partner-wide
    // limit that fell (another application using it), refusing whoever came.
    expect(verdict(group([busy(a), busy(b), busy(c)], [1, 2], 30, [7, 0.7]), known).scope).toBe("partner");
    expect(verdict(group([busy(a), busy(b), busy(c)], [2, 2], 30, [7, 0.7]), known).scope).toBe("tenant");
    expect(verdict(group([busy(a), hit(b, { sentLastSecond: 2 })], [0, 0], 30, [7, 0.7]), known).scope).toBe("partner");
  });

  it("…at the partner's known limit or past it, one in a hundred", () => {
    const atLimit = { partnerLastThrottled: 400 };
    const busy = (t: string) => hit(t, { sentLastSecond: 8 });
    expect(verdict(group([busy(a)], [0, 0], 400, [6, 0.01]), atLimit).scope).toBe("tenant");
    expect(verdict(group([busy(a)], [0, 0], 400, [6, 0.02]), atLimit).scope).toBe("partner");
    expect(verdict(group([busy(a), busy(b)], [0, 0], 450, [6, 0.09]), atLimit).scope).toBe("tenant");
    expect(verdict(group([busy(a), busy(b)], [0, 0], 450, [6, 0.11]), atLimit).scope).toBe("partner");
  });
});
