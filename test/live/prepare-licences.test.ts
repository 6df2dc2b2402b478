/**
 * The licence backend is told the run's customers before anything is read (`prepare`: Graph asks
 * for their tenants' tokens then, so a tenant's first licence read does not wait a token's round
 * trip behind its Partner Center reads); Partner Center's tells the client what each customer's
 * users are to cost (`expect`: the request budget shares its rate by it). The demo sandbox over
 * HTTP, the repository's plans.
 */
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { computePlan } from "../../src/engine/compute-plan.js";
import { partnerCenterLicenses } from "../../src/licenses/partner-center-backend.js";
import { createPartnerCenterClient } from "../../src/partner-center/index.js";
import { loadPlans } from "../../src/plan-file/index.js";
import { SANDBOX_TOKENS, type SandboxHandle } from "../../src/sandbox/index.js";
import { NOW, startDemo } from "../sandbox/helpers/sandbox.js";

let sb: SandboxHandle;

async function plans() {
  const loaded = await loadPlans([join(import.meta.dirname, "../../plans/office365-f1.yaml"), join(import.meta.dirname, "../../plans/microsoft365-f1.yaml")]);
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return loaded.plans;
}
afterEach(async () => {
  await sb.close();
});

it("every planned customer is named to the licence backend once, before the first request", async () => {
  sb = await startDemo();
  const loaded = { plans: await plans() };
  const client = createPartnerCenterClient({ endpoint: sb.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin) });
  const told: { ids: readonly string[]; requestsBefore: number }[] = [];
  const computed = await computePlan(client, loaded.plans, {
    now: NOW,
    warnDays: 30,
    concurrency: 4,
    country: "US",
    licenses: (limit) => ({ ...partnerCenterLicenses(client, limit), prepare: (ids) => void told.push({ ids, requestsBefore: sb.requestLog.length }) }),
  });
  const planned = new Set(loaded.plans.flatMap((p) => p.customers.map((c) => c.id)));
  expect(planned.size).toBeGreaterThan(1);
  expect(told).toHaveLength(1);
  expect(told[0]?.requestsBefore).toBe(0);
  expect(new Set(told[0]?.ids)).toEqual(planned);
  expect(told[0]?.ids).toHaveLength(planned.size);
  expect(computed.customers.length).toBeGreaterThan(0);
});

it("Partner Center's backend tells the client each customer's users pages and licence reads before it makes them", async () => {
  sb = await startDemo();
  const client = createPartnerCenterClient({ endpoint: sb.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin) });
  const told: { customer: string; requests: number; at: number }[] = [];
  const api: typeof client = Object.create(client);
  api.expect = (customer, requests) => void told.push({ customer: customer.toLowerCase(), requests, at: sb.requestLog.length });
  await computePlan(api, await plans(), { now: NOW, warnDays: 30, concurrency: 4, country: "US", licenses: (limit) => partnerCenterLicenses(api, limit) });
  const usersRead = sb.requestLog.filter((e) => /^\/v1\/customers\/[^/]+\/users$/i.test(e.path));
  expect(usersRead.length).toBeGreaterThan(1);
  for (const page of usersRead) {
    const customer = page.customerId?.toLowerCase() ?? "";
    const mine = told.filter((t) => t.customer === customer);
    const reads = sb.requestLog.filter((e) => e.customerId?.toLowerCase() === customer && /\/users\/[^/]+\/licenses$/i.test(e.path)).length;
    // Before its users page: the page and a read per consumed unit; after it: the reads to come;
    // once they are done: nothing (a read stopped early leaves no share behind).
    expect(mine).toHaveLength(3);
    expect(mine[0]?.at).toBeLessThan(page.seq);
    expect(mine[0]?.requests).toBeGreaterThanOrEqual(1);
    expect(mine[1]?.at).toBeGreaterThanOrEqual(page.seq);
    expect(mine[1]?.requests).toBeGreaterThan(0);
    expect(mine[1]?.requests).toBeLessThanOrEqual(reads);
    expect(mine[2]).toEqual({ customer, requests: 0, at: expect.any(Number) as number });
    expect(mine[2]?.at).toBeGreaterThanOrEqual(
      Math.max(...sb.requestLog.filter((e) => e.customerId?.toLowerCase() === customer && /\/users\/[^/]+\/licenses$/i.test(e.path)).map((e) => e.seq)),
    );
  }
});
