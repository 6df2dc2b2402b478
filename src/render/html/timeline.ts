import { addDays } from "../../util/dates.js";
import { DEADLINE_KINDS, KIND_LABEL, deadlineEvent, describeDeadline, type Deadline, type DeadlineKind, type Urgency } from "./deadlines.js";
import { isoDate, plural, relativeDays } from "./format.js";
import { laneMarks } from "./timeline-marks.js";
import { html, trusted, type Html } from "./html.js";
import { breakable } from "./wrap.js";

const TOP = 30; // room for the "today" label
const LANE_LABEL = 18;
const ROW = 26;
const LANE_GAP = 8;
const AXIS = 38;
/**
 * Markers closer than this (percent of the width) stack in a lane: 23 px on a 390 px phone, where
 * the chart is about 340 px wide, more than the widest shape (22 px). Rows are added as needed,
 * so markers on one day never cover each other, however many there are.
 */
const MIN_GAP_PCT = 7;
const DAY_MS = 86_400_000;

/** Marker shapes centred on 0,0: the kind is told by shape as well as by lane, never by colour alone. */
const SHAPES: Record<DeadlineKind, string> = {
  "cancel-window": '<path id="s-cancel-window" d="M0-11L11 0 0 11-11 0Z"/>',
  "renew-off-end": '<path id="s-renew-off-end" d="M-5-9H5L10 0 5 9H-5L-10 0Z"/>',
  ends: '<rect id="s-ends" x="-11" y="-7" width="22" height="14" rx="7"/>',
  converts: '<path id="s-converts" d="M-10-9H10L0 10Z"/>',
  "term-end": '<circle id="s-term-end" r="9"/>',
  deprovision: '<path id="s-deprovision" d="M-8-8H8V8H-8Z"/>',
};

const URGENCY_TEXT: Record<Urgency, (warnDays: number) => string> = {
  past: () => "past",
  soon: (warnDays) => `within ${plural(warnDays, "day")}`,
  later: () => "later",
};

interface Scale {
  pct(date: string): number;
  start: number;
  end: number;
}

function scaleFor(now: string, deadlines: readonly Deadline[], warnDays: number): Scale {
  const times = [Date.parse(isoDate(now)), Date.parse(addDays(now, warnDays)), ...deadlines.map((d) => Date.parse(d.date))];
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const pad = Math.max(7 * DAY_MS, (hi - lo) * 0.03);
  const start = lo - pad;
  const end = hi + pad;
  return { start, end, pct: (date) => 2 + (96 * (Date.parse(isoDate(date)) - start)) / (end - start) };
}

const pc = (n: number) => `${n.toFixed(2)}%`;

/**
 * First of each month (or quarter) inside the scale. Phones hide every other label; a year is
 * written under each January and under the first label, on phones under the first one they show.
 */
function ticks(scale: Scale, top: number, bottom: number): Html[] {
  const out: Html[] = [];
  const months = Math.round((scale.end - scale.start) / (30.4 * DAY_MS));
  const step = months > 30 ? 3 : 1;
  const d = new Date(scale.start);
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(1);
  d.setUTCMonth(Math.floor(d.getUTCMonth() / step) * step + step);
  let first = true;
  let firstMajor = true;
  for (; d.getTime() < scale.end; d.setUTCMonth(d.getUTCMonth() + step)) {
    const x = pc(scale.pct(d.toISOString()));
    const month = d.getUTCMonth();
    const minor = (month / step) % 2 === 1;
    const cls = minor ? " minor" : "";
    out.push(html`<line class="tick" x1="${x}" x2="${x}" y1="${top}" y2="${bottom}"/>`);
    out.push(html`<text class="tick-label${cls}" x="${x}" y="${bottom + 14}">${d.toLocaleString("en", { month: "short", timeZone: "UTC" })}</text>`);
    const year = (cls: string) => html`<text class="tick-label year${cls}" x="${x}" y="${bottom + 28}">${d.getUTCFullYear()}</text>`;
    if (month === 0 || first) out.push(year(cls));
    else if (!minor && firstMajor) out.push(year(" narrow"));
    first = false;
    if (!minor) firstMajor = false;
  }
  return out;
}

/** Rows within a lane so that close markers never cover each other: the first row with room, else a new one. */
function stack(lane: readonly { x: number }[]): number[] {
  const lastX: number[] = [];
  return lane.map(({ x }) => {
    let row = lastX.findIndex((last) => x - last >= MIN_GAP_PCT);
    if (row < 0) row = lastX.length;
    lastX[row] = x;
    return row;
  });
}

/**
 * The deadline timeline as inline SVG (no viewBox: positions are percentages of the width so the
 * text keeps its size on a phone), with the numbered list of the same deadlines as its text
 * alternative. Pure.
 */
export function renderTimeline(deadlines: readonly Deadline[], now: string, warnDays: number): Html {
  if (deadlines.length === 0) {
    return html`<p class="muted">No deadlines known: no active source subscription has an end date and no suspension is dated.</p>`;
  }
  const scale = scaleFor(now, deadlines, warnDays);
  const from = new Date(scale.start).toISOString().slice(0, 10);
  const to = new Date(scale.end).toISOString().slice(0, 10);
  const lanes: Html[] = [];
  let y = TOP;
  for (const kind of DEADLINE_KINDS) {
    const marks = laneMarks(deadlines, kind, from, to).map((m) => ({ m, x: scale.pct(m.date) }));
    if (marks.length === 0) continue;
    const rows = stack(marks);
    const height = LANE_LABEL + (Math.max(...rows) + 1) * ROW;
    lanes.push(html`<text class="lane-label" x="0" y="${y + 13}">${KIND_LABEL[kind]}</text>`);
    marks.forEach(({ m, x }, i) => {
      const cy = y + LANE_LABEL + (rows[i] ?? 0) * ROW + ROW / 2;
      lanes.push(
        html`<g class="marker k-${m.kind} u-${m.urgency}${m.count > 1 ? " group" : ""}" data-date="${m.date}" data-count="${m.count}"><title>${m.title}</title><use href="#s-${m.kind}" x="${pc(x)}" y="${cy}"/><text class="marker-n" x="${pc(x)}" y="${cy}" dy="0.35em">${m.label}</text></g>`,
      );
    });
    y += height + LANE_GAP;
  }
  const bottom = y;
  const today = scale.pct(now);
  const warnEnd = Math.min(98, scale.pct(addDays(now, warnDays)));
  const anchor = today < 12 ? "start" : today > 88 ? "end" : "middle";
  const first = deadlines[0];
  const last = deadlines[deadlines.length - 1];
  const next = deadlines.find((d) => d.days >= 0);
  const desc = `${plural(deadlines.length, "deadline")} from ${first?.date ?? ""} to ${last?.date ?? ""}; today is ${isoDate(now)}.${
    next ? ` Next: ${describeDeadline(next)}.` : ""
  } All are listed in date order after the chart.`;
  const kinds = DEADLINE_KINDS.filter((k) => deadlines.some((d) => d.kind === k));
  const urgencies = (["past", "soon", "later"] as const).filter((u) => deadlines.some((d) => d.urgency === u));
  return html`<figure class="timeline">
<svg class="timeline-chart" width="100%" height="${bottom + AXIS}" role="img" aria-labelledby="tl-title" aria-describedby="tl-desc">
<title id="tl-title">Deadline timeline</title><desc id="tl-desc">${desc}</desc>
<defs>${trusted(Object.values(SHAPES).join(""))}</defs>
<rect class="warn-band" x="${pc(today)}" y="${TOP - 6}" width="${pc(Math.max(0, warnEnd - today))}" height="${bottom - TOP + 6}"/>
${ticks(scale, TOP - 6, bottom)}
<g class="today"><line x1="${pc(today)}" x2="${pc(today)}" y1="16" y2="${bottom}"/><text x="${pc(today)}" y="11" text-anchor="${anchor}">today ${isoDate(now)}</text></g>
${lanes}
</svg>
<figcaption class="legend">${kinds.map(
    (k) =>
      html`<span class="key"><svg class="key-shape k-${k}" width="20" height="20" aria-hidden="true"><use href="#s-${k}" x="10" y="10"/></svg>${KIND_LABEL[k]}</span>`,
  )}${urgencies.map((u) => html`<span class="key"><span class="swatch u-${u}" aria-hidden="true"></span>${URGENCY_TEXT[u](warnDays)}</span>`)}<span class="key"><span class="swatch band" aria-hidden="true"></span>the next ${plural(warnDays, "day")}</span></figcaption>
</figure>
${deadlineList(deadlines, warnDays)}`;
}

function deadlineList(deadlines: readonly Deadline[], warnDays: number): Html {
  const items = deadlines.map(
    (d, i) =>
      html`<li class="u-${d.urgency}" data-kind="${d.kind}"><span class="n" aria-hidden="true">${i + 1}</span><span><time datetime="${d.date}">${d.date}</time>${
        d.urgency === "later" ? "" : html` <strong class="tag u-${d.urgency}">${URGENCY_TEXT[d.urgency](warnDays)}</strong>`
      } <span class="who">${d.customerName}</span> · ${breakable(deadlineEvent(d))} (${relativeDays(d.days)})</span></li>`,
  );
  // Open: who each numbered marker belongs to is read here, without hovering; a reader may fold it.
  return html`<details class="deadline-list" open><summary>All ${plural(deadlines.length, "deadline")}, in date order</summary><ol id="deadline-list">${items}</ol></details>`;
}
