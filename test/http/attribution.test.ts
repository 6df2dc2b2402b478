/** The judgement of whose limit a group of 429s was (src/http/budget/attribution.ts), rule by rule and at its edges. */
import { describe, expect, it } from "vitest";
import { decideThrottle, type ThrottleGroup, type ThrottleHit } from "../../src/http/budget/attribution.js";
import { tenantScope } from "../../src/http/scopes.js";

/** A throttled request's tenant, as the judgement sees it: its scope's key. */
const tenantOf = (id: string) => tenantScope("pc", id).key;

function hit(tenant: string | undefined, extra: Partial<ThrottleHit> = {}): ThrottleHit {
  return { ...(tenant ? { tenant } : {}), sentAt: 0, until: 1000, sentLastSecond: 10, heldAtTenantLimit: false, partnerSentLastSecond: 100, ...extra };
}

function group(
  hits: ThrottleHit[],
  same: Record<string, [accepted: number, answered: number]> = {},
  partnerSent = 100,
  meanTenantSent = 0,
  after = { passed: 0, answered: 0 },
): ThrottleGroup {
  const key = (id: string) => tenantScope("pc", id).key;
  return {
    hits,
    sameAccepted: new Map(Object.entries(same).map(([id, [a]]) => [key(id), a])),
    sameAnswered: new Map(Object.entries(same).map(([id, [, n]]) => [key(id), n])),
    partnerSent,
    meanTenantSent,
    after,
  };
}

const ctx = { maxTenantAccepted: 8, partnerCeiling: 0, partnerLastThrottled: 0, tenantRate: 0 };

describe("whose limit a 429 was", () => {
  const a = tenantOf("a");
  const b = tenantOf("b");

  it("a partner-wide call's 429 is the partner's", () => {
    expect(decideThrottle(group([hit(undefined), hit(a, { heldAtTenantLimit: true })]), ctx).scope).toBe("partner");
  });

  it("one busy tenant whose other requests were refused alike hit its own limit", () => {
    const v = decideThrottle(group([hit(a), hit(a)], { a: [0, 6] }), ctx);
    expect(v).toEqual({ scope: "tenant", tenant: a });
  });

  it("a tenant whose requests kept passing around the 429 hit the partner's limit (it lets a share through)", () => {
    expect(decideThrottle(group([hit(a), hit(a)], { a: [3, 6] }), ctx).scope).toBe("partner");
  });

  it("a lone 429 with nothing to tell by, or on a tenant sending little, is the partner's", () => {
    expect(decideThrottle(group([hit(a)]), ctx).scope).toBe("partner");
    expect(decideThrottle(group([hit(a, { sentLastSecond: 2 })], { a: [0, 6] }), ctx).scope).toBe("partner");
  });

  it("several tenants throttled at once is the partner's, unless the partner was seen to allow more than it sent", () => {
    const hits = [hit(a), hit(b)];
    const same = { a: [0, 6] as [number, number], b: [0, 6] as [number, number] };
    expect(decideThrottle(group(hits, same, 100), ctx).scope).toBe("partner");
    expect(decideThrottle(group(hits, same, 100), { ...ctx, partnerCeiling: 400 }).scope).toBe("tenant");
    expect(decideThrottle(group(hits, same, 380), { ...ctx, partnerCeiling: 400 }).scope).toBe("partner");
    // Only an estimate of the partner's limit (its first throttle, out of slow start): far below it counts.
    expect(decideThrottle(group(hits, same, 130), { ...ctx, partnerLastThrottled: 400 }).scope).toBe("tenant");
    expect(decideThrottle(group(hits, same, 300), { ...ctx, partnerLastThrottled: 400 }).scope).toBe("partner");
  });

  it("many tenants throttled at once, each among the busiest, hit their own limits; one quiet tenant among them makes it the partner's", () => {
    const ids = ["a", "b", "c", "d", "e"].map(tenantOf);
    const busy = ids.map((t) => hit(t, { sentLastSecond: 9, partnerSentLastSecond: 450 }));
    expect(decideThrottle(group(busy, {}, 450, 3), ctx)).toEqual({ scope: "tenant", tenant: ids[0] });
    expect(decideThrottle(group([...busy.slice(1), hit(ids[0], { sentLastSecond: 4 })], {}, 450, 3), ctx).scope).toBe("partner");
    // Three tenants are too few to tell from chance; an unknown average tells nothing.
    expect(decideThrottle(group(busy.slice(0, 3), {}, 450, 3), ctx).scope).toBe("partner");
    expect(decideThrottle(group(busy, {}, 450, 0), ctx).scope).toBe("partner");
    // Every tenant busy alike (no one stands out), but each held at the learned tenant limit: still theirs.
    // (while the partner sends less than it was last throttled at).
    const limited = { ...ctx, partnerLastThrottled: 500 };
    const held = ids.map((t) => hit(t, { sentLastSecond: 7, heldAtTenantLimit: true }));
    expect(decideThrottle(group(held, {}, 450, 6), limited).scope).toBe("tenant");
    expect(decideThrottle(group(held, {}, 520, 6), limited).scope).toBe("partner");
    expect(decideThrottle(group([...held.slice(1), hit(ids[0], { sentLastSecond: 7 })], {}, 450, 6), limited).scope).toBe("partner");
    // Or each sent at least the learned tenant rate in its last second.
    const atRate = ids.map((t) => hit(t, { sentLastSecond: 5 }));
    expect(decideThrottle(group(atRate, {}, 450, 6), { ...limited, tenantRate: 4.25 }).scope).toBe("tenant");
    expect(decideThrottle(group([...atRate.slice(1), hit(ids[0], { sentLastSecond: 3 })], {}, 450, 6), { ...limited, tenantRate: 4.25 }).scope).toBe("partner");
    // Fewer tenants at that limit: only when the partner's later requests kept passing.
    const few = atRate.slice(0, 2);
    expect(decideThrottle(group(few, {}, 250, 3, { passed: 30, answered: 31 }), { ...limited, tenantRate: 4.25 }).scope).toBe("tenant");
    expect(decideThrottle(group(few, {}, 250, 3, { passed: 20, answered: 31 }), { ...limited, tenantRate: 4.25 }).scope).toBe("partner");
    expect(decideThrottle(group(few, {}, 250, 3, { passed: 5, answered: 5 }), { ...limited, tenantRate: 4.25 }).scope).toBe("partner");
  });

  it("a tenant held at the learned tenant limit and still throttled: that limit is too high", () => {
    expect(decideThrottle(group([hit(a, { heldAtTenantLimit: true })]), ctx)).toEqual({ scope: "tenant", tenant: a });
  });
});

describe("whose limit a 429 was, at the edges", () => {
  const a = tenantOf("a");
  const b = tenantOf("b");

  it("blames the tenant that sent most when the partner is measured to allow well more than it sent", () => {
    const hits = [hit(a, { sentLastSecond: 5 }), hit(b, { sentLastSecond: 9 })];
    expect(decideThrottle(group(hits, {}, 339), { ...ctx, partnerCeiling: 400 })).toEqual({ scope: "tenant", tenant: b });
    expect(decideThrottle(group(hits, {}, 340), { ...ctx, partnerCeiling: 400 }).scope).toBe("partner");
  });

  it("a tenant held at its learned limit is blamed only when it is the only one throttled", () => {
    expect(decideThrottle(group([hit(a, { heldAtTenantLimit: true }), hit(b, { heldAtTenantLimit: true })]), ctx).scope).toBe("partner");
    expect(decideThrottle(group([hit(a, { heldAtTenantLimit: true }), hit(a, { heldAtTenantLimit: true })]), ctx)).toEqual({ scope: "tenant", tenant: a });
    expect(decideThrottle(group([hit(a, { heldAtTenantLimit: true }), hit(a)]), ctx).scope).toBe("partner");
  });

  it("a dry tenant bucket needs two answers or more after the first 429, at most one in four accepted", () => {
    expect(decideThrottle(group([hit(a)], { a: [0, 2] }), ctx).scope).toBe("tenant");
    expect(decideThrottle(group([hit(a)], { a: [0, 1] }), ctx).scope).toBe("partner");
    expect(decideThrottle(group([hit(a)], { a: [1, 4] }), ctx).scope).toBe("tenant");
    expect(decideThrottle(group([hit(a)], { a: [2, 4] }), ctx).scope).toBe("partner");
  });

  it("…a busy tenant: three requests in the last second and four fifths of the most any tenant got accepted", () => {
    expect(decideThrottle(group([hit(a, { sentLastSecond: 3 })], { a: [0, 6] }), { ...ctx, maxTenantAccepted: 3.75 }).scope).toBe("tenant");
    expect(decideThrottle(group([hit(a, { sentLastSecond: 3 })], { a: [0, 6] }), { ...ctx, maxTenantAccepted: 3.76 }).scope).toBe("partner");
    expect(decideThrottle(group([hit(a, { sentLastSecond: 2 })], { a: [0, 6] }), { ...ctx, maxTenantAccepted: 0 }).scope).toBe("partner");
  });

  it("…and either not nearly all the partner's traffic, or ample evidence (four answers)", () => {
    const alone = (answered: number, partnerSentLastSecond: number) =>
      decideThrottle(group([hit(a, { sentLastSecond: 10, partnerSentLastSecond })], { a: [0, answered] }), ctx).scope;
    expect(alone(3, 14)).toBe("partner");
    expect(alone(3, 14.3)).toBe("tenant");
    expect(alone(4, 10)).toBe("tenant");
  });
});
