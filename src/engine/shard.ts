import { createHash } from "node:crypto";
import { PcplanError } from "../errors.js";

/**
 * `--shard K/N`: customers split across N CI matrix jobs by a stable hash of the customer id,
 * so the same customer always lands in the same shard whatever else the plans hold.
 */
export interface Shard {
  /** 1-based: 1 ≤ index ≤ count. */
  index: number;
  count: number;
}

/** The most shards a run may be split into (a CI matrix is far smaller; this only bounds typos). */
export const MAX_SHARDS = 256;

/** Parses "K/N" (1-based K). Throws a user error naming the expected form. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new PcplanError("SHARD", `--shard expects K/N with 1 ≤ K ≤ N (e.g. 2/4), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new PcplanError("SHARD", `--shard ${text}: N must be between 1 and ${MAX_SHARDS}`);
  if (index < 1 || index > count) throw new PcplanError("SHARD", `--shard ${text}: K must be between 1 and N (${count}); shards are numbered from 1`);
  return { index, count };
}

/** 0-based bucket of a customer id: sha256 of the lowercase id, first 4 bytes (big-endian) mod N. */
export function shardBucket(customerId: string, count: number): number {
  const digest = createHash("sha256").update(customerId.trim().toLowerCase(), "utf8").digest();
  return digest.readUInt32BE(0) % count;
}

export function inShard(customerId: string, shard: Shard): boolean {
  return shardBucket(customerId, shard.count) === shard.index - 1;
}

/** An explicit `--max-rps` is the whole run's cap: N shards running at once each take 1/N of it. */
export function shardRps(maxRps: number, shard: Shard | undefined): number {
  return shard ? maxRps / shard.count : maxRps;
}
