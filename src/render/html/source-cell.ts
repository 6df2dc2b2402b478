import { DEPROVISION_AFTER_DAYS } from "../../partner-center/lifecycle.js";
import { daysBetween } from "../../util/dates.js";
import { describeSource } from "../../status/render-status.js";
import type { CustomerStatus, KeepReason, PlanStatus, RetirementMethod, SourceSubscription } from "../../status/types.js";
import { urgencyOf } from "./deadlines.js";
import { isoDate, plural, relativeDays } from "./format.js";
import { html, type Html } from "./html.js";
import { breakable } from "./wrap.js";

export interface DateOptions {
  now: string;
  warnDays: number;
}

export function dated(label: string, iso: string, opts: DateOptions): Html {
  const days = daysBetween(opts.now, iso);
  const u = urgencyOf(days, opts.warnDays);
  return html`${label} <time datetime="${isoDate(iso)}" class="u-${u}">${isoDate(iso)}</time> <span class="muted">(${relativeDays(days)})</span>`;
}

/** How a method is named in a row: the words of the timeline's lanes and of the preview's actions. */
const METHOD_WORDS: Record<Exclude<RetirementMethod, "keep">, string> = {
  suspend: "suspend",
  cancel: "cancel",
  "no-renew": "turn auto-renew off",
};

/** Why a kept source is kept, after "keep": never "the plan leaves it" when the plan said to retire it. */
const KEEP_WORDS: Record<KeepReason, string> = {
  plan: "the plan leaves it (decommission: keep)",
  "excluded-users": "users the plan excludes hold it",
  transition: "the transition converts it to the target",
  "at-renewal": "it changes into the target at its renewal",
  "cannot-cancel": "the plan asks for a cancellation that is not possible here",
};

/** Said once under the table for each way of retiring it shows, rather than in every row. */
const METHOD_NOTES: Record<Exclude<RetirementMethod, "keep">, string> = {
  suspend: `pcplan suspends the source once no user holds it; Partner Center deprovisions it ${DEPROVISION_AFTER_DAYS} days later.`,
  cancel: "pcplan cancels the source while its cancellation window is open (a prorated refund).",
  "no-renew": "pcplan turns auto-renew off once no user holds the source; it ends with its term.",
};
const KEEP_NOTES: Record<KeepReason, string> = {
  plan: "the plan's decommission is keep (or suspendSource: false): pcplan leaves the source as it is.",
  "excluded-users": "users the plan excludes still hold the source: pcplan leaves it active, whatever the plan's decommission.",
  transition: "a transition converts the source subscription to the target: nothing is retired.",
  "at-renewal": "a change scheduled for its renewal turns the source subscription into the target: nothing is retired, and nothing is bought now.",
  "cannot-cancel":
    "the plan's decommission is cancel, which a legacy subscription, or one whose cancellation window has closed, does not allow: nothing is written.",
};

function retireLine(s: SourceSubscription, opts: DateOptions): Html {
  if (s.retirement === "keep") {
    const reason = s.keptBecause ? html` <span class="why">(${KEEP_WORDS[s.keptBecause]})</span>` : "";
    const ends = s.retirementDate ? html` · ${dated("ends", s.retirementDate, opts)}` : "";
    return html`<span class="retire">retire: <strong>keep</strong>${reason}${ends}</span>`;
  }
  if (!s.retirement) return html``;
  const when = !s.retirementDate
    ? ""
    : s.retirement === "cancel"
      ? html` · ${dated("by", s.retirementDate, opts)}`
      : s.retirement === "suspend"
        ? html` · ${dated("deprovisioned", s.retirementDate, opts)}`
        : html` · ${dated("ends", s.retirementDate, opts)}`;
  // Nothing left for pcplan to do: the subscription ends with its term.
  if (s.retirement === "no-renew" && s.autoRenew === false)
    return html`<span class="retire">retire: <strong>ends with its term</strong> <span class="why">(auto-renew is off already)</span>${when}</span>`;
  return html`<span class="retire">retire: <strong>${METHOD_WORDS[s.retirement]}</strong>${when}</span>`;
}

function subscriptionItem(s: SourceSubscription, opts: DateOptions): Html {
  const parts: Html[] = [html`<strong>${s.status}</strong> · ${plural(s.quantity, "seat")}`];
  if (s.status === "suspended") {
    parts.push(
      s.suspendedAt && s.deprovisionOn
        ? html` · suspended <time datetime="${isoDate(s.suspendedAt)}">${isoDate(s.suspendedAt)}</time> · ${dated("deprovisioned", s.deprovisionOn, opts)}`
        : html` · deprovisioned within ${DEPROVISION_AFTER_DAYS} days of its suspension <span class="muted">(date not in pcplan's audit log)</span>`,
    );
  } else if (s.status === "active") {
    if (s.commitmentEndDate) parts.push(html` · ${dated("term ends", s.commitmentEndDate, opts)}`);
    if (s.autoRenew !== undefined) parts.push(html` · auto-renew ${s.autoRenew ? "on" : "off"}`);
    // A window that closed is history, not a date anyone can act on.
    if (s.cancellationAllowedUntil && Date.parse(s.cancellationAllowedUntil) > Date.parse(opts.now))
      parts.push(html` · ${dated("cancellable until", s.cancellationAllowedUntil, opts)}`);
    parts.push(html`<br>${retireLine(s, opts)}`);
  }
  // The id on demand: a GUID is for a search in Partner Center, not for reading.
  return html`<li>${parts}<details class="sub-id"><summary>subscription id</summary><code class="id">${s.id}</code></details></li>`;
}

export function sourceCell(c: CustomerStatus, p: PlanStatus, opts: DateOptions): { v: string; cell: Html } {
  const subs = c.sourceSubscriptions ?? [];
  const dates = subs
    .flatMap((s) => [s.retirementDate, s.commitmentEndDate, s.deprovisionOn])
    .filter((d): d is string => d !== undefined)
    .sort();
  const v = dates[0] ?? "";
  if (subs.length === 0) return { v, cell: html`<span class="muted">${breakable(describeSource(c.source, p.source))}</span>` };
  return { v, cell: html`<span class="sku">${breakable(p.source)}</span><ul class="subs">${subs.map((s) => subscriptionItem(s, opts))}</ul>` };
}

/** The notes under a plan's table: one per way of retiring (or reason for keeping) its rows show. */
export function retireNotes(p: PlanStatus): Html {
  const shown = new Map<string, Html>();
  for (const s of p.customers.flatMap((c) => c.sourceSubscriptions ?? [])) {
    if (s.status !== "active" || !s.retirement) continue;
    if (s.retirement !== "keep") shown.set(`0${s.retirement}`, html`retire: <strong>${METHOD_WORDS[s.retirement]}</strong> — ${METHOD_NOTES[s.retirement]}`);
    else if (s.keptBecause) shown.set(`1${s.keptBecause}`, html`retire: <strong>keep</strong> — ${KEEP_NOTES[s.keptBecause]}`);
  }
  if (shown.size === 0) return html``;
  return html`<ul class="retire-notes">${[...shown].sort(([a], [b]) => a.localeCompare(b)).map(([, note]) => html`<li>${note}</li>`)}</ul>`;
}
