import type { PlanStatusTotals } from "../../status/types.js";
import { plural } from "./format.js";
import { html, type Html } from "./html.js";
import { breakable } from "./wrap.js";

interface Segment {
  cls: string;
  count: number;
  label: string;
}

/** A stacked bar (inline SVG, widths in percent) with a legend that states every count in words. */
function bar(title: string, segments: readonly Segment[], total: number, unit: string): Html {
  const shown = segments.filter((s) => s.count > 0);
  const summary = `${title}: ${shown.map((s) => `${s.count} ${s.label}`).join(", ") || `no ${unit}`}`;
  let x = 0;
  const rects = shown.map((s) => {
    const w = total > 0 ? (100 * s.count) / total : 0;
    const r = html`<rect class="${s.cls}" x="${x.toFixed(3)}%" y="0" width="${w.toFixed(3)}%" height="100%"/>`;
    x += w;
    return r;
  });
  return html`<div class="progress">
<div class="progress-head"><span class="progress-title">${title}</span><span class="progress-total">${plural(total, unit)}</span></div>
<svg class="bar" width="100%" height="14" role="img" aria-label="${summary}">${rects}</svg>
<ul class="legend">${shown.map((s) => html`<li><span class="swatch ${s.cls}" aria-hidden="true"></span><span class="count">${s.count}</span> ${s.label}</li>`)}</ul>
</div>`;
}

/** The plan's seat totals in figures: target seats bought and still to buy, users moved and still to move. */
function seats(t: PlanStatusTotals, target: string): Html {
  const figures: [number, string][] = [
    [t.targetSeats, `${target} seats bought`],
    [t.seatsToBuy, "seats to buy"],
    [t.usersOnTarget, "users moved (on the target)"],
    [t.usersToMove, "users to move"],
  ];
  return html`<ul class="seats" aria-label="Seats">${figures.map(([n, label]) => html`<li><span class="count">${n}</span> ${breakable(label)}</li>`)}</ul>`;
}

/** The plan's two progress bars (customers by state, users by where they are) and its seat totals. */
export function renderProgress(t: PlanStatusTotals, target: string): Html {
  const customers = bar(
    "Customers",
    [
      { cls: "p-done", count: t.done, label: "done" },
      { cls: "p-in-progress", count: t.inProgress, label: "in progress" },
      { cls: "p-scheduled", count: t.scheduled, label: "scheduled" },
      { cls: "p-not-started", count: t.notStarted, label: "not started" },
      { cls: "p-blocked", count: t.blocked, label: "blocked" },
      { cls: "p-not-found", count: t.notFound, label: "not found" },
    ],
    t.customers,
    "customer",
  );
  const users = bar(
    "Users",
    [
      { cls: "p-done", count: t.usersOnTarget, label: "on target" },
      { cls: "p-not-started", count: t.usersToMove, label: "to move" },
      { cls: "p-excluded", count: t.excluded, label: "excluded" },
    ],
    t.usersOnTarget + t.usersToMove + t.excluded,
    "user",
  );
  return html`<div class="progress-pair">${customers}${users}</div>${seats(t, target)}`;
}
