/** Figures over several runs: each printed as its median with the min and max beside it, so a reader sees the spread. */

export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number;
}

export function spread(values: readonly number[]): Spread {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN, runs: 0 };
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { min: v[0], median, max: v[v.length - 1], runs: v.length };
}

/** `1.021× (1.013–1.040)`: the median, then min–max; one value alone when there was one run. */
export function show(s: Spread, format: (n: number) => string): string {
  if (s.runs <= 1 || s.min === s.max) return format(s.median);
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

/** `show` of one field over runs. */
export function over<T>(runs: readonly T[], pick: (r: T) => number, format: (n: number) => string): string {
  return show(spread(runs.map(pick)), format);
}

export const fmt = {
  ratio: (n: number) => `${n.toFixed(3)}×`,
  s: (ms: number) => `${(ms / 1000).toFixed(2)} s`,
  ms: (ms: number) => `${ms.toFixed(0)} ms`,
  mb: (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`,
  int: (n: number) => n.toFixed(0),
  pct: (n: number) => `${(n * 100).toFixed(2)}%`,
  rps: (n: number) => `${n.toFixed(1)} req/s`,
};

/** Rows of `[label, value]` printed as a two-column table, indented. */
export function table(rows: readonly (readonly [string, string])[]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}
