/**
 * Transitions as the reference writes them: `POST …/transitions` answers camelCase fields with
 * `Events`, `GET …/transitions` answers `{ transition: [ { FromCatalogItemId, Events, … } ] }`
 * (transition-a-new-commerce-subscription, get-transitions). We read either casing and either
 * collection key, and judge progress from the events with lenient status strings.
 */
import type { Transition, TransitionEvent } from "./commerce-types.js";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Lower-cases the first letter of every key, recursively (`Events` → `events`). */
function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.charAt(0).toLowerCase() + k.slice(1)] = camelize(v);
  return out;
}

/** A transition object from either shape; `events` always an array. Undefined when not an object. */
export function readTransition(value: unknown): Transition | undefined {
  const t = camelize(value);
  if (!isRecord(t)) return undefined;
  return { ...t, events: Array.isArray(t.events) ? t.events : [] } as unknown as Transition;
}

/** The transitions of a `GET …/transitions` body: `transition` (reference) or `items` (collection). */
export function readTransitionList(body: unknown): Transition[] | undefined {
  if (!isRecord(body)) return undefined;
  const list = body.transition ?? body.Transition ?? body.items ?? body.Items;
  if (!Array.isArray(list)) return undefined;
  return list.map(readTransition).filter((t): t is Transition => t !== undefined);
}

/** `"Started "`, `inprogress`, `In Progress` → `inprogress`. */
export function normalizeStatus(status: string | undefined): string {
  return (status ?? "").replace(/[\s_-]+/g, "").toLowerCase();
}

export type TransitionState = "inProgress" | "completed" | "failed";

/**
 * Where a transition stands, from its events: failed if any event failed; completed once its
 * `Conversion` event is Completed; in progress otherwise. The reference's get-transitions example
 * for `transition_with_license_transfer` shows Conversion events only, Started then Completed
 * (learn.microsoft.com/partner-center/developer/get-transitions; the .NET SDK's TransitionEvent
 * names Conversion and SeatReassignment): no event reports the licences' move, so it is read
 * from live state afterwards, never awaited as an event.
 */
export function transitionState(t: Pick<Transition, "events">): TransitionState {
  const events: TransitionEvent[] = t.events ?? [];
  if (events.some((e) => normalizeStatus(e.status) === "failed")) return "failed";
  const converted = events.some((e) => normalizeStatus(e.name) === "conversion" && normalizeStatus(e.status) === "completed");
  return converted ? "completed" : "inProgress";
}
