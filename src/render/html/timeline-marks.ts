import { daysBetween } from "../../util/dates.js";
import { KIND_LABEL, describeDeadline, type Deadline, type DeadlineKind, type Urgency } from "./deadlines.js";
import { plural } from "./format.js";

/** One shape on the timeline: a deadline, or a group of a lane's deadlines close in time. */
export interface Mark {
  kind: DeadlineKind;
  /** Where it is drawn (YYYY-MM-DD). */
  date: string;
  urgency: Urgency;
  /** Written inside the shape: the deadline's number in the list, or the group's size. */
  label: string;
  /** The tooltip. */
  title: string;
  /** Number in the list (single deadlines) or undefined (groups). */
  n?: number;
  count: number;
}

/** Up to this many deadlines each get a numbered shape; beyond, a lane's deadlines are grouped. */
export const MAX_SINGLE_MARKS = 60;
/** Groups per lane, about: the span is cut into buckets of whole weeks. */
const GROUPS = 20;
const RANK: Record<Urgency, number> = { past: 0, soon: 1, later: 2 };

function group(lane: readonly Deadline[], start: string, bucketDays: number): Mark[] {
  const buckets = new Map<number, Deadline[]>();
  for (const d of lane) {
    const b = Math.floor(daysBetween(start, d.date) / bucketDays);
    buckets.set(b, [...(buckets.get(b) ?? []), d]);
  }
  return [...buckets.values()].map((ds) => {
    const first = ds[0];
    const last = ds[ds.length - 1];
    const mid = new Date((Date.parse(first.date) + Date.parse(last.date)) / 2).toISOString().slice(0, 10);
    const urgency = ds.map((d) => d.urgency).sort((a, b) => RANK[a] - RANK[b])[0] ?? "later";
    const names = ds.slice(0, 5).map((d) => d.customerName);
    const more = ds.length > 5 ? `, and ${ds.length - 5} more` : "";
    const span = first.date === last.date ? first.date : `${first.date} to ${last.date}`;
    return {
      kind: first.kind,
      date: mid,
      urgency,
      label: ds.length > 99 ? "99+" : String(ds.length),
      title: `${plural(ds.length, "deadline")}, ${KIND_LABEL[first.kind].toLowerCase()}, ${span}: ${names.join(", ")}${more}`,
      count: ds.length,
    };
  });
}

/**
 * The shapes of one lane. `all` is every deadline in date order (numbers follow it); the lane's
 * deadlines are drawn one by one while all of them fit, grouped by weeks otherwise.
 */
export function laneMarks(all: readonly Deadline[], kind: DeadlineKind, start: string, end: string): Mark[] {
  const lane = all.filter((d) => d.kind === kind);
  if (all.length <= MAX_SINGLE_MARKS) {
    return lane.map((d) => {
      const n = all.indexOf(d) + 1;
      return { kind, date: d.date, urgency: d.urgency, label: String(n), title: `${n}. ${describeDeadline(d)}`, n, count: 1 };
    });
  }
  const bucketDays = Math.max(7, Math.ceil(daysBetween(start, end) / GROUPS / 7) * 7);
  return group(lane, start, bucketDays);
}
