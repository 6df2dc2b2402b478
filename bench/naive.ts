/**
 * The naive partner script the engine is compared with: list customers, then per customer its
 * subscriptions, users and every user's licences, one request at a time. It reads the first
 * customers only and extrapolates at the measured time per call (the whole world would take
 * many minutes).
 */
import { createPartnerCenterClient } from "../src/partner-center/index.js";
import { SANDBOX_TOKENS, type SandboxFixture } from "../src/sandbox/index.js";
import { PAGE_SIZE } from "./engine.js";

export interface NaiveRun {
  customersRead: number;
  calls: number;
  wallMs: number;
  extrapolatedMs: number;
  fullWorldCalls: number;
}

export async function naiveSequential(url: string, world: SandboxFixture, prefix: number): Promise<NaiveRun> {
  // One request at a time: its budget never holds it back (the sandbox's limit is far above it).
  const api = createPartnerCenterClient({ endpoint: url, token: () => Promise.resolve(SANDBOX_TOKENS.admin), correlationId: "bench-naive" });
  const start = performance.now();
  const customers = await api.listCustomers();
  for (const c of customers.slice(0, prefix)) {
    await api.listSubscriptions(c.id);
    for (const u of await api.listUsers(c.id)) await api.listUserLicenses(c.id, u.id);
  }
  const wallMs = performance.now() - start;
  const calls = api.stats().requests;
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));
  // The same script over every customer: customers pages + per customer subscriptions, users pages and one read per user.
  const fullWorldCalls = pages(world.customers.length) + world.customers.reduce((n, c) => n + 1 + pages(c.users.length) + c.users.length, 0);
  return { customersRead: Math.min(prefix, customers.length), calls, wallMs, fullWorldCalls, extrapolatedMs: (wallMs / calls) * fullWorldCalls };
}
