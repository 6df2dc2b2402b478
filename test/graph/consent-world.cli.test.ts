/**
 * The documented consent example (docs/graph.md, "Example: an app consented differently per
 * customer"; fixtures/consent-world.json): three customers whose GDAP relationships grant the
 * partner every role, but whose tenants consented the partner's app for read and write (Adatum),
 * read only (Bellows College) or not at all (Fourth Street Bakery). With app credentials, `plan`
 * names the two with what is missing and the fix; `apply` buys nothing for them and finishes
 * Adatum. The CLI is spawned: NODE_EXTRA_CA_CERTS (trusting the sandbox's HTTPS certificate for
 * MSAL and Graph) is read only when a Node process starts.
 */
import { copyFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { SANDBOX_APPS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { runCli } from "../helpers/cli.js";
import { NOW } from "../sandbox/helpers/sandbox.js";
import { graphAppEnv } from "./helpers/graph.js";

const fixturePath = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
const ADATUM = "21aaf6c0-c044-56bf-8d04-07ff9cd27292";
const BELLOWS = "5e0e5de9-0f84-593f-964b-3216b3ad0ff8";
const BAKERY = "e8836c13-bb83-5db3-9b3b-5b5bc896db3c";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

interface JsonCustomer {
  id: string;
  access: { state: string; how: string; missing?: string } | null;
  notes: { code: string; message: string }[];
}

it("plan names the customer consented read-only and the one never consented, with what is missing; apply buys nothing for them and finishes the rest", async () => {
  sb = await startSandbox({ fixture: await loadFixture(fixturePath("consent-world.json")), clock: NOW });
  const cwd = await mkdtemp(join(tmpdir(), "pcplan-consent-"));
  await copyFile(fixturePath("consent-world.plan.yaml"), join(cwd, "consent-world.plan.yaml"));
  // App credentials for Graph (app-only: the consent decides); the demo admin agent's token for Partner Center.
  const env = { ...graphAppEnv(sb, SANDBOX_APPS.admin), PARTNER_CENTER_TOKEN: "sandbox-admin-agent-token" };
  const cli = (args: string[]) => runCli([...args, "consent-world.plan.yaml", "--endpoint", sb.url, "--now", NOW], { cwd, env });

  const plan = await cli(["plan"]);
  expect(plan.code, plan.stderr).toBe(1);
  expect(plan.stdout).toMatch(/Adatum Corporation[^]*licence access verified: app-only credential: the app's consent in this tenant/);
  expect(plan.stdout).toMatch(
    new RegExp(
      `Bellows College[^]*error: nothing will be written for this customer: .*assigning licences needs LicenseAssignment\\.ReadWrite\\.All.*POST /customers/${BELLOWS}/applicationconsents`,
    ),
  );
  expect(plan.stdout).toMatch(
    new RegExp(
      `Fourth Street Bakery[^]*error: the credential cannot read or change licenses .*no consent in this customer's tenant \\(AADSTS700016.*POST /customers/${BAKERY}/applicationconsents`,
    ),
  );
  // Said once per customer, never per user.
  expect(plan.stdout.match(/applicationconsents/g)).toHaveLength(2);

  const json = JSON.parse((await cli(["plan", "--format", "json"])).stdout) as { customers: JsonCustomer[] };
  const access = Object.fromEntries(json.customers.map((c) => [c.id, c.access?.state]));
  expect(access).toEqual({ [ADATUM]: "verified", [BELLOWS]: "refused", [BAKERY]: "refused" });

  const apply = await cli(["apply", "--auto-approve"]);
  expect(apply.code, apply.stdout + apply.stderr).toBe(3);
  expect(apply.stdout).toMatch(/applied +Adatum Corporation/);
  expect(apply.stdout).toMatch(/refused +Bellows College/);
  // Nothing bought, nothing changed for the two; Adatum's users all moved.
  const changed = (id: string) => sb.changes.filter((c) => c.customerId.toLowerCase() === id);
  expect(changed(BELLOWS)).toEqual([]);
  expect(changed(BAKERY)).toEqual([]);
  expect(changed(ADATUM).filter((c) => c.kind === "licenses")).toHaveLength(4);
});
