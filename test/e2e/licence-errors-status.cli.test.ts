/**
 * Licence assignment errors (issue 23) in `status`, end to end over HTTPS on 127.0.0.1: the CLI
 * reads the demo world's Lucerne Publishing through Microsoft Graph after its group "Editorial"
 * was moved to Office 365 F3, where Cleo's F3 from the group failed (MutuallyExclusiveViolation)
 * and she still holds Skype through it. The CLI is spawned: Graph's sandbox certificate is trusted
 * through NODE_EXTRA_CA_CERTS, which a process reads only at its start.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { runCli } from "../helpers/cli.js";
import { DEMO, DEMO_NOW, onlyCustomers } from "../helpers/demo-customers.js";
import { graphAppEnv } from "../graph/helpers/graph.js";

const MCOIMP = "b8b749f8-a4ef-4887-9539-c95b1eaa5db7";
const DESKLESSPACK = "4b585984-651b-448a-9e53-3b10f069cf7f";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

async function world(): Promise<SandboxHandle> {
  const f = await loadFixture(DEMO_FIXTURE_PATH);
  onlyCustomers(f, [DEMO.lucerne]);
  const lucerne = f.customers[0];
  const editorial = lucerne.groups![0];
  editorial.licenses = [{ skuId: DESKLESSPACK }];
  const cleo = lucerne.users.find((u) => u.userPrincipalName.startsWith("cleo@"))!;
  // What the sandbox keeps after such a group change: the source the group stopped assigning, and the target in error.
  cleo.groupLicenses = [
    { skuId: MCOIMP, group: editorial.id },
    { skuId: DESKLESSPACK, group: editorial.id, error: "MutuallyExclusiveViolation" },
  ];
  return startSandbox({ fixture: f, clock: DEMO_NOW });
}

async function checkout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pcplan-licence-errors-"));
  const plan = [
    "apiVersion: pcplan/v1",
    "kind: MigrationPlan",
    "metadata: { name: lucerne }",
    "spec:",
    "  source: { sku: MCOIMP }",
    "  target: { sku: DESKLESSPACK }",
  ];
  await writeFile(join(dir, "lucerne.yaml"), [...plan, "  customers:", `    - id: ${DEMO.lucerne}`, "      name: Lucerne Publishing", ""].join("\n"));
  return dir;
}

const status = (cwd: string, ...args: string[]) =>
  runCli(["status", "lucerne.yaml", ...args, "--endpoint", sb.url, "--now", DEMO_NOW, "--license-api", "graph"], { cwd, env: graphAppEnv(sb) });

describe("licence assignment errors in status", () => {
  it("are named per user with the licence, the group and Graph's word: text, JSON and the HTML report", async () => {
    sb = await world();
    const cwd = await checkout();
    const text = await status(cwd);
    expect(text.stderr).toBe("");
    expect(text.stdout).toContain(
      "licence assignment error: cleo@lucernepublishing.onmicrosoft.com: DESKLESSPACK through group Editorial failed (MutuallyExclusiveViolation)",
    );

    const json = await status(cwd, "--format", "json");
    const doc = JSON.parse(json.stdout) as { plans: { customers: { attention?: unknown[] }[] }[] };
    expect(doc.plans[0].customers[0].attention).toEqual([
      { kind: "license-error", upn: "cleo@lucernepublishing.onmicrosoft.com", sku: "DESKLESSPACK", error: "MutuallyExclusiveViolation", group: "Editorial" },
    ]);

    const html = await status(cwd, "--format", "html", "--out", "status.html");
    // Exit 1: the customer is blocked (Cleo keeps Skype through a group that no longer assigns it), which the report shows.
    expect(html.stderr).toContain("Wrote the status report to status.html");
    const page = (await readFile(join(cwd, "status.html"), "utf8")).replaceAll("<wbr>", "");
    expect(page).toContain("Licence assignment errors (1)");
    expect(page).toContain("cleo@lucernepublishing.onmicrosoft.com: DESKLESSPACK through group Editorial failed (<b>MutuallyExclusiveViolation</b>)");
  }, 90_000);
});
