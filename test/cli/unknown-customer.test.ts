/**
 * A customer id the partner does not have is "not found among the partner's customers" whichever
 * licence API runs (with Graph, its tenant's token request or licence read fails first, and was
 * once reported instead), and it is an error, never also "unchanged". In-process (`main`) against
 * the `--sandbox` demo world, whose Graph the in-process client trusts.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_NOW } from "../helpers/demo-customers.js";
import { runMain } from "../helpers/in-process.js";

const UNKNOWN = "0badc0de-0000-4000-8000-000000000021";
const PLAN = `apiVersion: pcplan/v1
kind: MigrationPlan
metadata: { name: unknown-customer }
spec:
  source: { sku: MCOIMP }
  target: { sku: DESKLESSPACK }
  customers:
    - id: ${UNKNOWN}
      name: Nobody We Know
    - id: deec16c8-656b-45c8-a1cc-e39f09f1f0fd
      name: Northwind Traders
`;

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), "pcplan-unknown-"));
  await mkdir(join(cwd, "plans"));
  await writeFile(join(cwd, "plans", "unknown.yaml"), PLAN);
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

it.each(["auto", "graph", "partner-center"])("--license-api %s: not found among the partner's customers, counted once as an error", async (api) => {
  const r = await runMain(["plan", "--sandbox", "--now", DEMO_NOW, "--license-api", api, "--format", "json"], { cwd });
  const plan = JSON.parse(r.stdout) as {
    summary: { errors: number; unchangedCustomers: number };
    customers: { id: string; notes: { code: string; message: string }[] }[];
  };
  const unknown = plan.customers.find((c) => c.id === UNKNOWN);
  expect(unknown?.notes, r.stderr).toEqual([{ level: "error", code: "not-found", message: "customer not found among the partner's customers" }]);
  expect(plan.summary).toMatchObject({ errors: 1, unchangedCustomers: 1 });
  expect(r.stdout).not.toMatch(/AADSTS|Graph/);
});
