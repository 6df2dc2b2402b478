/**
 * The licence backend is told the run's customers before anything is read (`prepare`: Graph asks
 * for their tenants' tokens then, so a tenant's first licence read does not wait a token's round
 * trip behind its Partner Center reads). The demo sandbox over HTTP, the repository's plans.
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
afterEach(async () => {
  await sb.close();
});

it("every planned customer is named to the licence backend once, before the first request", async () => {
  sb = await startDemo();
  const loaded = await loadPlans([join(import.meta.dirname, "../../plans/office365-f1.yaml"), join(import.meta.dirname, "../../plans/microsoft365-f1.yaml")]);
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
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
