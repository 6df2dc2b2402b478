/**
 * The rate over time as a small SVG, one panel per run: requests sent in the last second, the
 * partner budget's rate, the service's limit (dashed) and a tick for every second with 429s.
 * Hand-written SVG: a dependency for one chart would not pay its way.
 */
import type { EngineRun } from "./engine.js";

const W = 860;
const PANEL = 190;
const PAD = { left: 56, right: 16, top: 28, bottom: 30 };

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

function niceStep(max: number): number {
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
}

/** At most this many points a line: the plot stays a few tens of KiB. */
const MAX_POINTS = 400;

function panel(r: EngineRun & { limit: number }, top: number): string {
  const tMax = Math.max(1, r.wallMs / 1000);
  const yMax = Math.max(r.limit * 1.6, ...r.samples.map((s) => s.sent)) * 1.05;
  const x = (t: number) => PAD.left + (t / tMax) * (W - PAD.left - PAD.right);
  const y = (v: number) => top + PAD.top + (1 - Math.min(v, yMax) / yMax) * (PANEL - PAD.top - PAD.bottom);
  const line = (pts: [number, number][]) =>
    thin(pts)
      .map(([t, v], i) => `${i ? "L" : "M"}${x(t).toFixed(1)},${y(v).toFixed(1)}`)
      .join("");
  const out: string[] = [];
  out.push(
    `<text x="${PAD.left}" y="${top + 18}" font-weight="bold">${esc(r.label)}: ${(r.wallMs / 1000).toFixed(1)} s, bound ${(r.boundMs / 1000).toFixed(1)} s, ${r.throttled} × 429</text>`,
  );
  const step = niceStep(yMax);
  for (let v = 0; v <= yMax; v += step) {
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#666">${v}</text>`);
  }
  const tStep = niceStep(tMax);
  for (let t = 0; t <= tMax; t += tStep) {
    out.push(`<text x="${x(t)}" y="${top + PANEL - 12}" text-anchor="middle" fill="#666">${t} s</text>`);
  }
  out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(r.limit)}" y2="${y(r.limit)}" stroke="#c00" stroke-dasharray="6 4"/>`);
  let last = 0;
  for (const s of r.samples) {
    if (s.throttled > last) out.push(`<line x1="${x(s.t)}" x2="${x(s.t)}" y1="${y(0)}" y2="${y(0) - 8}" stroke="#c00"/>`);
    last = s.throttled;
  }
  out.push(`<path d="${line(r.samples.map((s) => [s.t, s.budget]))}" fill="none" stroke="#999" stroke-width="1.5"/>`);
  out.push(`<path d="${line(r.samples.map((s) => [s.t, s.sent]))}" fill="none" stroke="#1f5fbf" stroke-width="2"/>`);
  return out.join("\n");
}

function thin<T>(points: T[]): T[] {
  const step = Math.ceil(points.length / MAX_POINTS);
  return step <= 1 ? points : points.filter((_, i) => i % step === 0 || i === points.length - 1);
}

/** `runs` with the partner limit they ran against (the first number in their label). */
export function ratePlot(runs: readonly EngineRun[]): string {
  const height = runs.length * PANEL + 40;
  const body = runs.map((r, i) => panel({ ...r, limit: Number(/\d+/.exec(r.label)?.[0] ?? 0) }, i * PANEL)).join("\n");
  const legend =
    `<text x="${PAD.left}" y="${height - 12}" fill="#333">` +
    `<tspan fill="#1f5fbf">━ requests sent in the last second</tspan>   <tspan fill="#999">━ partner budget (requests/s)</tspan>   ` +
    `<tspan fill="#c00">╌ the sandbox's limit, not told to the client   | a second with 429s</tspan></text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
${body}
${legend}
</svg>
`;
}
