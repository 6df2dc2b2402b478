/**
 * The strategy seam of the diff: `reconcile` works out what a customer needs (seats, who moves,
 * which source subscriptions are free) and asks a strategy how: how a missing target is bought
 * (a Buyer), and how a free source subscription is retired (a Retirer). Strategies are pure:
 * they read the live model and return actions or notes, never call anything.
 */
import type { MigrationPlan, PlanCustomer } from "../../plan-file/types.js";
import type { Action, LiveCustomer, LiveState, LiveSubscription, Note, PurchaseAction } from "../types.js";

/** What the diff knows about one customer when it asks a strategy. */
export interface CustomerContext {
  plan: MigrationPlan;
  customer: PlanCustomer;
  live: LiveCustomer;
  state: Pick<LiveState, "offers" | "catalog" | "servicePlans">;
  /** Reference time (ISO). */
  now: string;
  /** The catalog country when the plan names none. */
  country: string;
}

/** An action (with a note to show beside it, if any), a note saying why there is none, or nothing to do. */
export type Outcome<A> = { action: A; note?: Note } | { note: Note } | { none: true };

export interface Buyer {
  /** A purchase of `quantity` target seats, or a note saying why none can be made. */
  buy(quantity: number, ctx: CustomerContext): Outcome<PurchaseAction>;
}

export interface Retirer {
  /** How `sub` (a source subscription nobody holds once the reassignments are done) is retired. */
  retire(sub: LiveSubscription, ctx: CustomerContext): Outcome<Action>;
}
