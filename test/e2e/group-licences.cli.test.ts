/**
 * Licences as real tenants hold them (issue 23), end to end over HTTP and HTTPS on 127.0.0.1:
 * the CLI in a child process against a sandbox world whose Contoso holds Skype for Business
 * Online (Plan 1) through groups, directly, or both, with licences read and changed through Graph.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxFixture, type SandboxHandle } from "../../src/sandbox/index.js";
import { runCli, spawnCli } from "../helpers/cli.js";
import { C, NOW } from "../sandbox/helpers/sandbox.js";
import { graphAppEnv } from "../graph/helpers/graph.js";
import { onlyCustomers } from "../helpers/demo-customers.js";

const MCOIMP = "b8b749f8-a4ef-4887-9539-c95b1eaa5db7";
const DESKLESSPACK = "4b585984-651b-448a-9e53-3b10f069cf7f";
const MCOIMP_PLAN = "afc06cb0-b4f4-4473-8286-d644f70d8faf";
const GROUP = "9e0c1a51-2b7d-4c3e-8f10-00000000a001";
const DYNAMIC = "9e0c1a51-2b7d-4c3e-8f10-00000000a002";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

/** Contoso alone: alex…harper hold MCOIMP through "All staff" (alex directly too), indy and jordan through a dynamic group, kai and logan directly. */
async function groupWorld(edit: (f: SandboxFixture) => void = () => undefined): Promise<SandboxFixture> {
  const f = await loadFixture(DEMO_FIXTURE_PATH);
  onlyCustomers(f, [C.contoso]);
  const contoso = f.customers[0];
  const byName = (n: string) => contoso.users.find((u) => u.userPrincipalName.startsWith(`${n}@`))!;
  const staff = ["alex", "blake", "casey", "dana", "eli", "frankie", "gray", "harper"].map(byName);
  const field = ["indy", "jordan"].map(byName);
  for (const u of [...staff.slice(1), ...field]) u.licenses = [];
  contoso.groups = [
    { id: GROUP, displayName: "All staff", members: staff.map((u) => u.id), licenses: [{ skuId: MCOIMP }] },
    { id: DYNAMIC, displayName: "Field staff", members: field.map((u) => u.id), licenses: [{ skuId: MCOIMP }], membershipRule: 'user.department -eq "Field"' },
  ];
  // Two target seats: ten more are bought (a resize) before any group moves. (A new purchase is
  // not used here: on this base its provisioning read is refused to an app-only token, issue 21.)
  contoso.subscriptions.push({
    ...structuredClone(contoso.subscriptions[0]),
    id: "0d1e2f3a-4b5c-4d6e-8f70-000000000b02",
    offerId: "39527949-870E-4D02-B3B7-8491F762FA78",
    quantity: 2,
    friendlyName: "Office 365 F3",
  });
  for (const cred of f.credentials) if (cred.consents) cred.consents["*"] = [...(cred.consents["*"] ?? []), "GroupMember.Read.All", "User.ReadWrite.All"];
  edit(f);
  return f;
}

async function checkout(extra = ""): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pcplan-groups-"));
  await writeFile(
    join(dir, "contoso.yaml"),
    [
      "apiVersion: pcplan/v1",
      "kind: MigrationPlan",
      "metadata: { name: contoso-groups }",
      "spec:",
      "  source: { sku: MCOIMP }",
      "  target: { sku: DESKLESSPACK }",
      "  customers:",
      `    - id: ${C.contoso}`,
      "      name: Contoso Ltd",
      extra,
    ].join("\n"),
  );
  return dir;
}

const cli = (cwd: string, args: string[]) =>
  runCli([...args, "contoso.yaml", "--endpoint", sb.url, "--now", NOW, "--license-api", "graph"], {
    cwd,
    env: { ...graphAppEnv(sb), PCPLAN_TEST_TIME_SCALE: "0.05" },
  });
const contoso = () => sb.world().customers.find((c) => c.id === C.contoso)!;
const user = (n: string) => contoso().users.find((u) => u.userPrincipalName.startsWith(`${n}@`))!;
const graphWrites = (path: RegExp) => sb.requestLog.filter((e) => e.api === "graph" && e.write && path.test(e.path));

describe("group-based licences through Graph", () => {
  it("a group moves with one group call and no write per member; seats are bought first; a direct copy beside it goes after; a dynamic group too", async () => {
    sb = await startSandbox({ fixture: await groupWorld(), clock: NOW, groupProcessingDelayMs: 300 });
    const cwd = await checkout();
    const plan = await cli(cwd, ["plan"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("~ group All staff (8 members): MCOIMP → DESKLESSPACK");
    expect(plan.stdout).toContain("~ group Field staff (2 members, dynamic): MCOIMP → DESKLESSPACK");
    expect(plan.stdout).toContain("reassign alex@contoso.onmicrosoft.com: remove MCOIMP (already holds the target)");
    expect(plan.stdout).not.toContain("reassign blake@");
    expect(plan.stdout).toMatch(/resize DESKLESSPACK .*2 → 12/);

    const apply = await cli(cwd, ["apply", "--auto-approve"]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(graphWrites(/\/groups\/[^/]+\/assignLicense$/)).toHaveLength(2);
    // Members moved by the group's processing, not by a write of pcplan's (those carry its request id).
    const memberChanges = sb.changes.filter((c) => c.kind === "licenses" && c.userId === user("blake").id);
    expect(memberChanges.length).toBeGreaterThan(0);
    expect(memberChanges.every((c) => c.requestId === undefined)).toBe(true);
    // The seats came before the group change.
    const order = sb.changes.findIndex((c) => c.kind === "subscription" && c.subscriptionId.endsWith("0b02") && c.quantity === 12);
    const group = sb.changes.findIndex((c) => c.kind === "group-licenses");
    expect(order).toBeGreaterThanOrEqual(0);
    expect(order).toBeLessThan(group);
    expect(user("alex").licenses).toEqual([]);
    expect(user("blake").groupLicenses).toEqual([{ skuId: DESKLESSPACK, group: GROUP }]);
    expect(user("indy").groupLicenses).toEqual([{ skuId: DESKLESSPACK, group: DYNAMIC }]);
    expect(user("kai").licenses).toEqual([DESKLESSPACK]);
    expect(sb.changes.some((c) => c.kind === "subscription" && c.customerId === C.contoso && c.status === "suspended")).toBe(true);
    expect((await cli(cwd, ["plan", "--detailed-exitcode"])).code).toBe(0);
  }, 90_000);

  it("groups: leave lists the holders held through the group, moves the direct holders, keeps the source, and says the customer is not done", async () => {
    sb = await startSandbox({ fixture: await groupWorld(), clock: NOW, groupProcessingDelayMs: 300 });
    const cwd = await checkout("  groups: leave");
    const plan = await cli(cwd, ["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain("held through group All staff (8 members) keep MCOIMP (groups: leave)");
    expect(plan.stdout).not.toContain("~ group");
    const apply = await cli(cwd, ["apply", "--auto-approve"]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(3);
    expect(apply.stdout).toContain("not done");
    expect(graphWrites(/\/groups\//)).toEqual([]);
    expect(user("kai").licenses).toEqual([DESKLESSPACK]);
    expect(user("blake").groupLicenses).toEqual([{ skuId: MCOIMP, group: GROUP }]);
    expect(sb.changes.some((c) => c.kind === "subscription" && c.status === "suspended")).toBe(false);
  }, 90_000);

  it("a member whose target fails (MutuallyExclusiveViolation) is named with the error; they keep the source and it is not retired", async () => {
    const fixture = await groupWorld((f) => {
      const target = f.skus.find((s) => s.id === DESKLESSPACK)!;
      target.mutuallyExclusiveWith = ["f8a1db68-be16-40ed-86d5-cb42ce701560"];
      const contoso = f.customers[0];
      contoso.users.find((u) => u.userPrincipalName.startsWith("casey@"))!.licenses.push("f8a1db68-be16-40ed-86d5-cb42ce701560");
      contoso.subscriptions.push({
        ...structuredClone(contoso.subscriptions[0]),
        id: "0d1e2f3a-4b5c-4d6e-8f70-000000000b01",
        offerId: powerBiOffer(f),
        quantity: 1,
      });
    });
    sb = await startSandbox({ fixture, clock: NOW, groupProcessingDelayMs: 300 });
    const cwd = await checkout();
    const apply = await cli(cwd, ["apply", "--auto-approve"]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(3);
    expect(apply.stdout + apply.stderr).toContain("casey@contoso.onmicrosoft.com (MutuallyExclusiveViolation)");
    expect(user("casey").groupLicenses).toEqual(
      expect.arrayContaining([
        { skuId: DESKLESSPACK, group: GROUP, error: "MutuallyExclusiveViolation" },
        { skuId: MCOIMP, group: GROUP },
      ]),
    );
    expect(user("blake").groupLicenses).toEqual([{ skuId: DESKLESSPACK, group: GROUP }]);
    expect(sb.changes.some((c) => c.kind === "subscription" && c.status === "suspended")).toBe(false);
    const again = await cli(cwd, ["plan"]);
    expect(again.stdout).toContain("casey@contoso.onmicrosoft.com");
    expect(again.stdout).not.toMatch(/suspend MCOIMP/);
  }, 90_000);

  it("disabled plans are carried by name (and not with servicePlans: reset); a user without a usage location is named, or given the plan's first", async () => {
    const fixture = await groupWorld((f) => {
      const contoso = f.customers[0];
      contoso.groups![0].licenses = [{ skuId: MCOIMP, disabledPlans: [MCOIMP_PLAN] }];
      const kai = contoso.users.find((u) => u.userPrincipalName.startsWith("kai@"))!;
      kai.usageLocation = null;
    });
    sb = await startSandbox({ fixture, clock: NOW, groupProcessingDelayMs: 300 });
    const named = await cli(await checkout(), ["plan"]);
    expect(named.stdout).toContain("without a usage location cannot be given DESKLESSPACK and keep MCOIMP: kai@contoso.onmicrosoft.com");
    expect(named.stdout).toContain("~ group All staff (8 members): MCOIMP → DESKLESSPACK (1 service plan kept off)");
    const reset = await cli(await checkout("  servicePlans: reset"), ["plan"]);
    expect(reset.stdout).toContain("~ group All staff (8 members): MCOIMP → DESKLESSPACK\n");

    const cwd = await checkout("  usageLocation: GB");
    const apply = await cli(cwd, ["apply", "--auto-approve"]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(user("kai").usageLocation).toBe("GB");
    expect(user("kai").licenses).toEqual([DESKLESSPACK]);
    expect(contoso().groups![0].licenses).toEqual([{ skuId: DESKLESSPACK, disabledPlans: [MCOIMP_PLAN] }]);
    expect(user("blake").groupLicenses).toEqual([{ skuId: DESKLESSPACK, group: GROUP, disabledPlans: [MCOIMP_PLAN] }]);
  }, 90_000);
});

describe("a disabled plan without a counterpart", () => {
  it("is named in the preview, and nothing is switched on for it", async () => {
    const fixture = await groupWorld((f) => {
      f.customers[0].groups![0].licenses = [{ skuId: MCOIMP, disabledPlans: [MCOIMP_PLAN] }];
    });
    sb = await startSandbox({ fixture, clock: NOW });
    // Office 365 E1 has Skype for Business Online (Plan 2), MCOSTANDARD, not a plan named MCOIMP.
    const cwd = await checkout("      target: { sku: STANDARDPACK }");
    const plan = await cli(cwd, ["plan"]);
    expect(plan.stdout).toContain("group All staff: disabled service plan MCOIMP of MCOIMP has no counterpart in STANDARDPACK");
    expect(plan.stdout).toContain("~ group All staff (8 members): MCOIMP → STANDARDPACK\n");
  }, 90_000);
});

describe("crash safety of a group change", () => {
  it("a run killed (kill -9) while a group is being processed converges on re-run: no group changed twice, no second purchase, nobody without a licence", async () => {
    sb = await startSandbox({ fixture: await groupWorld(), clock: NOW, groupProcessingDelayMs: 60_000 });
    const cwd = await checkout();
    const env = { ...graphAppEnv(sb), PCPLAN_TEST_TIME_SCALE: "1" };
    const run = spawnCli(["apply", "--auto-approve", "contoso.yaml", "--endpoint", sb.url, "--now", NOW, "--license-api", "graph"], { cwd, env });
    for (let i = 0; i < 400 && !sb.changes.some((c) => c.kind === "group-licenses"); i++) await new Promise((r) => setTimeout(r, 50));
    expect(sb.changes.some((c) => c.kind === "group-licenses")).toBe(true);
    run.child.kill("SIGKILL");
    await run.done;
    // Meanwhile a re-run sees the group still processing: it changes nothing of the group's and retires nothing.
    // Its waits on the group (up to --provisioning-timeout, 900 s) a thousand times shorter: the
    // sandbox, in this process, still takes its minute, so the run ends with the group processing.
    const during = await runCli(["apply", "--auto-approve", "contoso.yaml", "--endpoint", sb.url, "--now", NOW, "--license-api", "graph"], {
      cwd,
      env: { ...graphAppEnv(sb), PCPLAN_TEST_TIME_SCALE: "0.001" },
    });
    expect(during.stdout + during.stderr).toContain("All staff");
    expect(sb.changes.some((c) => c.kind === "subscription" && c.status === "suspended")).toBe(false);
    sb.setClock(new Date(Date.parse(NOW) + 3_600_000).toISOString());
    const after = await cli(cwd, ["apply", "--auto-approve"]);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect((await cli(cwd, ["plan", "--detailed-exitcode"])).code).toBe(0);
    for (const g of [GROUP, DYNAMIC]) expect(sb.changes.filter((c) => c.kind === "group-licenses" && c.groupId === g).length).toBeLessThanOrEqual(1);
    expect(sb.changes.filter((c) => c.kind === "subscription" && c.subscriptionId.endsWith("0b02") && c.quantity === 12)).toHaveLength(1);
    for (const c of sb.changes) if (c.kind === "licenses") expect(c.skuIdsAfter.length, JSON.stringify(c)).toBeGreaterThan(0);
    for (const u of contoso().users) expect(u.licenses.includes(DESKLESSPACK) || u.groupLicenses?.some((g) => g.skuId === DESKLESSPACK && !g.error)).toBe(true);
  }, 120_000);
});

function powerBiOffer(f: SandboxFixture): string {
  return f.offers.find((o) => o.skuId.toLowerCase() === "f8a1db68-be16-40ed-86d5-cb42ce701560")!.id;
}
