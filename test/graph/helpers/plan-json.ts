/** JSON plans of the demo world compared across licence APIs (e2e-graph.cli.test.ts, licence-api.e2e.test.ts). */
import { DEMO } from "../../helpers/demo-customers.js";

/** A JSON plan without each customer's licence access: how pcplan knows it differs by licence API (the app's consent, or a proof to come); the rest must agree. */
export function withoutAccess(stdout: string): { customers: { access?: { state: string } | null; actions: unknown[] }[] } {
  const plan = JSON.parse(stdout) as { customers: { access?: { state: string } | null; actions: unknown[] }[] };
  for (const c of plan.customers) delete c.access;
  return plan;
}
/**
 * The demo world's plan the two licence APIs must agree on: all but Lucerne Publishing, whose
 * source is held through a group only Graph shows (Partner Center sees every holder as direct:
 * one reassignment each where Graph moves the group in one change), and so the totals.
 */
export function withoutGroups(stdout: string): { shared: unknown; lucerne: string[] } {
  const plan = withoutAccess(stdout) as unknown as { summary?: unknown; customers: { id: string; actions: { kind: string }[] }[] };
  const lucerne = plan.customers.find((c) => c.id === DEMO.lucerne)?.actions.map((a) => a.kind) ?? [];
  delete plan.summary;
  return { shared: { ...plan, customers: plan.customers.filter((c) => c.id !== DEMO.lucerne) }, lucerne };
}
