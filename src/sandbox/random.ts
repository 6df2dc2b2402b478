/** Seeded randomness: mulberry32 is tiny, fast and good enough for fault dice and synthetic ids. */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Current internal state, to persist and resume the same sequence. */
  readonly state: number;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    get state() {
      return a;
    },
  };
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** 8 hex digits from one 32-bit draw (table lookup: generated worlds need ~100k of these fast). */
function hex32(rng: Rng): string {
  const n = (rng.next() * 4294967296) >>> 0;
  return BYTE_HEX[n >>> 24] + BYTE_HEX[(n >>> 16) & 255] + BYTE_HEX[(n >>> 8) & 255] + BYTE_HEX[n & 255];
}

/** A version-4-shaped GUID drawn from the rng (lowercase): four draws, 32 bits each. */
export function rngGuid(rng: Rng): string {
  const a = hex32(rng);
  const b = hex32(rng);
  const c = hex32(rng);
  const d = hex32(rng);
  const variant = "89ab"[c.charCodeAt(0) & 3];
  return a + "-" + b.slice(0, 4) + "-4" + b.slice(5, 8) + "-" + variant + c.slice(1, 4) + "-" + c.slice(4, 8) + d;
}

export function rngInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng.next() * (max - min + 1));
}
