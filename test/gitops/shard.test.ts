/** The pure side of `--shard K/N`: parsing, bucketing, the request budget per shard (end to end: shard.e2e.test.ts). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { effectiveMaxRps } from "../../src/cli/pipeline.js";
import { inShard, parseShard, shardBucket, shardRps, type Shard } from "../../src/engine/shard.js";

const guid = fc.uuid().map((u) => u.toLowerCase());
const shards = (n: number): Shard[] => Array.from({ length: n }, (_, i) => ({ index: i + 1, count: n }));

describe("parseShard", () => {
  it("reads K/N with 1-based K", () => {
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
    expect(parseShard("3/4")).toEqual({ index: 3, count: 4 });
    expect(parseShard(" 2 / 8 ")).toEqual({ index: 2, count: 8 });
  });

  it.each([
    ["0/4", /numbered from 1/],
    ["5/4", /K must be between 1 and N \(4\)/],
    ["1/0", /N must be between 1 and 256/],
    ["1/1000", /N must be between 1 and 256/],
    ["1", /expects K\/N/],
    ["a/b", /expects K\/N/],
    ["-1/4", /expects K\/N/],
    ["1.5/4", /expects K\/N/],
    ["", /expects K\/N/],
  ])("refuses %j with a clear error", (text, message) => {
    expect(() => parseShard(text)).toThrow(message);
  });
});

describe("inShard", () => {
  it("puts every customer id in exactly one of N shards", () => {
    fc.assert(
      fc.property(guid, fc.integer({ min: 1, max: 64 }), (id, n) => {
        expect(shards(n).filter((s) => inShard(id, s))).toHaveLength(1);
      }),
    );
  });

  it("is stable: case and surrounding space do not move a customer, and the hash is sha256's first 4 bytes mod N", () => {
    fc.assert(
      fc.property(guid, fc.integer({ min: 1, max: 64 }), (id, n) => {
        expect(shardBucket(id.toUpperCase(), n)).toBe(shardBucket(id, n));
        expect(shardBucket(` ${id} `, n)).toBe(shardBucket(id, n));
      }),
    );
    // Pinned values: a change of hash would reshuffle every partner's CI matrix.
    expect(shardBucket("6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a", 4)).toBe(shardBucket("6B1A2F8E-5C1E-4F7E-9A57-8D0F1D2C3B4A", 4));
    // sha256("6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a") starts cc f8 c0 6d = 3438854253.
    expect([1, 2, 3, 4, 7].map((n) => shardBucket("6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a", n))).toEqual([1, 2, 3, 4, 7].map((n) => 3438854253 % n));
  });

  it("spreads customers roughly evenly", () => {
    const ids = fc.sample(guid, { numRuns: 4000, seed: 42 });
    const counts = [0, 0, 0, 0];
    for (const id of ids) counts[shardBucket(id, 4)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
});

describe("request budget per shard", () => {
  it("gives each of N shards 1/N of an explicit --max-rps; without one, no cap (each shard finds its own limit)", () => {
    expect(shardRps(40, { index: 1, count: 4 })).toBe(10);
    expect(shardRps(40, undefined)).toBe(40);
    expect(effectiveMaxRps({ shard: { index: 2, count: 4 } })).toBeUndefined();
    expect(effectiveMaxRps({ maxRps: 100, shard: { index: 2, count: 4 } })).toBe(25);
    expect(effectiveMaxRps({ maxRps: 100 })).toBe(100);
    expect(effectiveMaxRps({})).toBeUndefined();
  });
});
