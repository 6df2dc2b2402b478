/**
 * End to end over HTTP and HTTPS on 127.0.0.1: the CLI in a child process reads licences
 * through Microsoft Graph (MSAL's own HTTPS client, trusting the sandbox through
 * NODE_EXTRA_CA_CERTS, read at process start) or through Partner Center, against one sandbox
 * world. Which licence API a run chooses, where no external Graph is trusted: licence-api.e2e.test.ts.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, generateWorld, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { runCli, tempCheckout } from "../helpers/cli.js";
import { worldSkus, writeWorldPlans } from "../helpers/world-plans.js";
import { TAILWIND_PROVISIONED } from "../helpers/demo-customers.js";
import { C, NOW } from "../sandbox/helpers/sandbox.js";
import { graphAppEnv } from "./helpers/graph.js";
import { withoutAccess, withoutGroups } from "./helpers/plan-json.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

/** Polls a thousand times shorter: Tailwind's order is left provisioning, not waited for (TAILWIND_PROVISIONED). */
const cli = (cwd: string, args: string[], env = graphAppEnv(sb)) =>
  runCli([...args, "--endpoint", sb.url, "--now", NOW], { cwd, env: { PCPLAN_TEST_TIME_SCALE: "0.001", ...env } });
const graphRequests = () => sb.requestLog.filter((e) => e.api === "graph").length;
const accessStates = (stdout: string) =>
  new Set((JSON.parse(stdout) as { customers: { access: { state: string } | null }[] }).customers.map((c) => c.access?.state));

describe("both licence APIs give identical plans", () => {
  it("on the demo world: the same JSON plan through Graph and through Partner Center, and Graph really was used", async () => {
    sb = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), clock: NOW });
    const cwd = await tempCheckout();
    const viaGraph = await cli(cwd, ["plan", "--format", "json", "--license-api", "graph"]);
    expect(viaGraph.code, viaGraph.stderr).toBe(0);
    const graphCalls = graphRequests();
    expect(graphCalls).toBeGreaterThan(0);
    const viaPartnerCenter = await cli(cwd, ["plan", "--format", "json", "--license-api", "partner-center"]);
    expect(viaPartnerCenter.code, viaPartnerCenter.stderr).toBe(0);
    expect(graphRequests()).toBe(graphCalls);
    expect(withoutGroups(viaGraph.stdout).shared).toEqual(withoutGroups(viaPartnerCenter.stdout).shared);
    expect(withoutGroups(viaGraph.stdout).lucerne).toEqual(["group-license", ...Array<string>(4).fill("reassign"), "suspend"]);
    expect(withoutGroups(viaPartnerCenter.stdout).lucerne).toEqual([...Array<string>(7).fill("reassign"), "suspend"]);
    // The app's consent shows what it may do; the Partner Center licence API cannot show it.
    expect(accessStates(viaGraph.stdout)).toEqual(new Set(["verified"]));
    expect(accessStates(viaPartnerCenter.stdout)).toEqual(new Set(["unverified"]));
    // auto picks Graph when the app credentials reach it.
    const auto = await cli(cwd, ["plan", "--verbose"]);
    expect(auto.stderr).toContain("Licences through Microsoft Graph");
  });

  it("on a generated world of 40 customers", async () => {
    const fixture = generateWorld({ customers: 40, users: 900, seed: 11 });
    sb = await startSandbox({ fixture, clock: NOW });
    const cwd = await mkdtemp(join(tmpdir(), "pcplan-graph-"));
    await writeWorldPlans(fixture, join(cwd, "plans"), { excludeEvery: 7 });
    // Partner Center reads every holder's licences one call at a time: no rate cap needed on 127.0.0.1.
    const viaGraph = await cli(cwd, ["plan", "--format", "json", "--license-api", "graph", "--max-rps", "5000"]);
    const viaPartnerCenter = await cli(cwd, ["plan", "--format", "json", "--license-api", "partner-center", "--max-rps", "5000"]);
    expect(viaGraph.code, viaGraph.stderr).toBe(0);
    const plan = withoutAccess(viaGraph.stdout);
    expect(plan.customers.length).toBeGreaterThan(20);
    expect(plan.customers.filter((c) => c.actions.length > 0).length).toBeGreaterThan(10);
    expect(plan).toEqual(withoutAccess(viaPartnerCenter.stdout));
  });
});

const holdersOf = (skuId: string) =>
  sb
    .world()
    .customers.flatMap((c) => c.users.map((u) => ({ customer: c.id, ...u })))
    .filter((u) => u.licenses.includes(skuId));

describe("licence changes through Graph", () => {
  it("a half-failed $batch converges on re-run, and no user is ever left without a licence", async () => {
    sb = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), clock: NOW });
    const cwd = await tempCheckout();
    const { source, target } = worldSkus(sb.world());
    const contoso = sb.world().customers.find((c) => c.id === C.contoso)!;
    const refused = contoso.users
      .filter((u) => u.licenses.includes(source))
      .slice(2, 5)
      .map((u) => u.id);
    sb.setFaults({ graphRefuseUsers: refused });

    const first = await cli(cwd, ["apply", "--auto-approve", "--license-api", "graph"]);
    expect(first.code, first.stdout + first.stderr).toBe(3);
    expect(first.stdout).toContain("Contoso");
    const afterFirst = sb.world().customers.find((c) => c.id === C.contoso)!;
    for (const id of refused) expect(afterFirst.users.find((u) => u.id === id)!.licenses).toContain(source);
    // The others moved in the same batches; Contoso's source stays active while three still hold it.
    expect(afterFirst.users.filter((u) => u.licenses.includes(target)).length).toBeGreaterThan(0);
    expect(sb.changes.some((c) => c.kind === "subscription" && c.customerId === C.contoso && c.status === "suspended")).toBe(false);

    sb.setFaults({ graphRefuseUsers: [] });
    sb.setClock(TAILWIND_PROVISIONED);
    const second = await cli(cwd, ["apply", "--auto-approve", "--license-api", "graph"]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect((await cli(cwd, ["plan", "--detailed-exitcode", "--license-api", "graph"])).code).toBe(0);
    expect(holdersOf(source).filter((u) => u.customer === C.contoso)).toEqual([]);

    // Every licence change of the whole run left its user with the source or a target.
    const changes = sb.changes.filter((c) => c.kind === "licenses");
    expect(changes.length).toBeGreaterThan(10);
    for (const c of changes) expect(c.skuIdsAfter.length, JSON.stringify(c)).toBeGreaterThan(0);
  });

  it("a customer where the app was never consented is refused, named, with the fix; the others are planned and applied", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    fixture.credentials[0].withoutConsent = [C.fabrikam];
    sb = await startSandbox({ fixture, clock: NOW });
    const cwd = await tempCheckout();
    const plan = await cli(cwd, ["plan", "--license-api", "graph"]);
    expect(plan.code).toBe(1);
    const out = plan.stdout + plan.stderr;
    expect(out).toContain(C.fabrikam);
    // App-only: no consent there, no token (AADSTS700016); the fix is consent through Partner Center, not GDAP.
    expect(out).toContain("AADSTS700016");
    expect(out).toContain(`POST /customers/${C.fabrikam}/applicationconsents`);
    expect(out).toContain("Contoso");
    const apply = await cli(cwd, ["apply", "--auto-approve", "--license-api", "graph"]);
    expect(apply.code).toBe(3);
    expect(
      sb
        .world()
        .customers.find((c) => c.id === C.contoso)!
        .users.every((u) => !u.licenses.includes(worldSkus(fixture).source)),
    ).toBe(true);
    expect(sb.changes.some((c) => c.customerId === C.fabrikam)).toBe(false);
  });
});
