/**
 * The pure diff on 100,000 users: plans + an in-memory LiveState (built with the test model),
 * no I/O. Two shapes: many mid-sized customers, and one customer holding every user.
 */
import { reconcile } from "../src/reconcile/reconcile.js";
import { liveState, planFor, SKU, type ModelCustomer } from "../test/reconcile/model.js";
import { over } from "./stats.js";

const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

function world(customers: number, usersPerCustomer: number): ModelCustomer[] {
  return Array.from({ length: customers }, (_, i) => ({
    id: guid(i + 1),
    name: `Customer ${i + 1}`,
    subs: [
      { id: guid(10_000_000 + i), skuId: SKU.MCOIMP.skuId, quantity: usersPerCustomer, status: "active" as const, commitmentEndDate: "2027-03-31T00:00:00Z" },
      // The target is already bought for a third: the rest is a resize (no offer quantity cap).
      { id: guid(30_000_000 + i), skuId: SKU.DESKLESSPACK.skuId, quantity: Math.ceil(usersPerCustomer / 3), status: "active" as const },
    ],
    users: Array.from({ length: usersPerCustomer }, (_, j) => ({
      id: guid(20_000_000 + i * usersPerCustomer + j),
      upn: `user${j + 1}@customer${i + 1}.onmicrosoft.com`,
      // A third already hold the target: only the source is removed for them.
      skuIds: j % 3 === 0 ? [SKU.MCOIMP.skuId, SKU.DESKLESSPACK.skuId] : [SKU.MCOIMP.skuId],
    })),
  }));
}

export interface ReconcileRun {
  shape: string;
  users: number;
  actions: number;
  runsMs: number[];
}

function time(customers: number, perCustomer: number): ReconcileRun {
  const model = world(customers, perCustomer);
  const live = liveState(model, SKU.MCOIMP.skuId);
  const plans = [planFor(model.map((c) => ({ id: c.id, name: c.name })))];
  const opts = { now: "2026-11-24T00:00:00Z", warnDays: 30, country: "US" };
  let actions = 0;
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const out = reconcile(plans, live, opts);
    runs.push(performance.now() - start);
    actions = out.reduce((n, c) => n + c.actions.length, 0);
  }
  return { shape: `${customers} customers × ${perCustomer} users`, users: customers * perCustomer, actions, runsMs: runs };
}

/** Two shapes of 100,000 users, 7 runs each, printed as median (min–max). */
export function benchReconcile(): ReconcileRun[] {
  const done = [time(2_000, 50), time(1, 100_000)];
  for (const r of done) {
    const ms = (n: number) => `${n.toFixed(1)} ms`;
    console.log(
      `reconcile (pure): ${r.users} users (${r.shape}) → ${r.actions} actions in ${over(r.runsMs, (x) => x, ms)} over ${r.runsMs.length} runs (target well under 1 s)`,
    );
  }
  console.log("");
  return done;
}
