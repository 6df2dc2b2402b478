/**
 * Never a purchase the run cannot follow through: before a customer's first write, what the
 * credential may do there must allow every step its actions need. An app-only credential acts with
 * its consent in the customer's tenant (the roles claim of its token there, served by the
 * sandbox); GDAP grants an application nothing. The demo world's buy-only app may buy everywhere
 * but is consented to assign licences everywhere except at Contoso (read only there).
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, SANDBOX_APPS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { runCli, tempCheckout } from "../helpers/cli.js";
import { C, NOW } from "../sandbox/helpers/sandbox.js";
import { graphAppEnv } from "../graph/helpers/graph.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

const WOODGROVE = "c7440f08-58ba-412d-8731-e453f8e7ad85";

// A token request to the customer's tenant is a POST but changes nothing there.
const writesFor = (customerId: string) => sb.requestLog.filter((e) => e.write && e.api !== "identity" && e.path.toLowerCase().includes(customerId));

describe("the role pre-check", () => {
  it("writes nothing for a customer where the credential may buy but not assign licences, and applies the others", async () => {
    sb = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), clock: NOW });
    const cwd = await tempCheckout();
    const r = await runCli(["apply", "--auto-approve", "--customer", C.contoso, "--customer", WOODGROVE, "--endpoint", sb.url, "--now", NOW], {
      cwd,
      env: graphAppEnv(sb, SANDBOX_APPS.buyOnly),
    });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(
      /refused +Contoso Ltd .*assigning licences needs LicenseAssignment\.ReadWrite\.All, User\.ReadWrite\.All or Directory\.ReadWrite\.All; consent the app there through Partner Center \(POST \/customers\/6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a\/applicationconsents\)/,
    );
    // Not a cart, not an order, not a licence change at Contoso: the seats were never bought.
    expect(writesFor(C.contoso)).toEqual([]);
    expect(sb.changes.filter((c) => c.customerId.toLowerCase() === C.contoso)).toEqual([]);
    // Woodgrove, where the same app holds License Administrator, was migrated.
    expect(writesFor(WOODGROVE).length).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/applied +Woodgrove Bank/);
  });

  it("lets the admin app through at Contoso", async () => {
    sb = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), clock: NOW });
    const cwd = await tempCheckout();
    const r = await runCli(["apply", "--auto-approve", "--customer", C.contoso, "--endpoint", sb.url, "--now", NOW], {
      cwd,
      env: graphAppEnv(sb, SANDBOX_APPS.admin),
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/applied +Contoso Ltd/);
  });
});
