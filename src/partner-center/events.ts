/** The HTTP layer's events and counters (src/http/events.ts), as the Partner Center client reports them. */
export type { ClientEvent, ClientStats } from "../http/events.js";
