/**
 * What a run waits on, from the HTTP layer's events, for the progress line (issue 22 §4): the
 * retry being waited out ("GET /v1/customers/…/subscriptions, retry 3 in 4s"), else the request
 * longest without an answer ("… (12s without an answer)"). Undefined while nothing waits long.
 */
import type { ClientEvent } from "../partner-center/events.js";
import { formatSeconds } from "./io.js";

/** A request without an answer for less than this is not worth a word. */
const QUIET_MS = 2_000;
/** Longer than any attempt may last (60 s): an entry this old lost its answer event (its call failed). */
const FORGET_MS = 120_000;

export interface WaitTracker {
  onEvent: (e: ClientEvent) => void;
  waitingOn: () => string | undefined;
}

export function waitTracker(now: () => number = Date.now): WaitTracker {
  const inFlight = new Map<string, { text: string; since: number }>();
  let retry: { text: string; until: number } | undefined;
  const service = (path: string) => (path.startsWith("/v1.0/") || path.startsWith("/beta/") ? "Microsoft Graph" : "Partner Center");
  return {
    onEvent(e) {
      if (e.type === "rate") return;
      const key = `${e.requestId}#${e.attempt}`;
      const text = `${service(e.path)}: ${e.method} ${e.path}`;
      if (e.type === "request") inFlight.set(key, { text, since: now() });
      else if (e.type === "response") inFlight.delete(key);
      else if (e.type === "retry" || e.type === "throttled") {
        inFlight.delete(key);
        retry = { text: `${text}, retry ${e.attempt + 1} in `, until: now() + e.delayMs };
      }
    },
    waitingOn() {
      const t = now();
      if (retry && retry.until > t) return `${retry.text}${formatSeconds((retry.until - t) / 1000)}`;
      let oldest: { text: string; since: number } | undefined;
      for (const [key, r] of inFlight) {
        if (t - r.since > FORGET_MS) inFlight.delete(key);
        else if (!oldest || r.since < oldest.since) oldest = r;
      }
      return oldest && t - oldest.since >= QUIET_MS ? `${oldest.text} (${formatSeconds((t - oldest.since) / 1000)} without an answer)` : undefined;
    },
  };
}
