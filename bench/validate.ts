import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCatalog } from "../src/catalog/index.js";
import { loadPlans } from "../src/plan-file/index.js";
import { fmt, over } from "./stats.js";

const FILES = 1_000;
const CUSTOMERS_PER_PLAN = 20;

/** A deterministic GUID from a counter: unique customers across all generated plans. */
const guid = (n: number) => {
  const h = n.toString(16).padStart(12, "0");
  return `0000${h.slice(0, 4)}-1111-4222-8333-${h}`;
};

function planText(i: number): string {
  const customers = Array.from({ length: CUSTOMERS_PER_PLAN }, (_, j) => {
    const n = i * CUSTOMERS_PER_PLAN + j;
    return `    - id: ${guid(n)}\n      name: Customer ${n}\n      exclude: [admin@customer${n}.onmicrosoft.com]`;
  }).join("\n");
  const target = ["DESKLESSPACK", "M365_F1", "STANDARDPACK"][i % 3];
  return `# yaml-language-server: $schema=../schemas/plan.schema.json
apiVersion: pcplan/v1
kind: MigrationPlan
metadata:
  name: bench-plan-${i}
  description: Generated for the validation benchmark.
spec:
  source: { sku: MCOIMP }
  target: { sku: ${target} }
  customers:
${customers}
  suspendSource: true
  seats: users
`;
}

/** Validates 1,000 generated plan files (20 customers each) `runs` times and prints the time and throughput. */
export async function benchValidate(runs: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "pcplan-bench-validate-"));
  try {
    await Promise.all(Array.from({ length: FILES }, (_, i) => writeFile(join(dir, `plan-${String(i).padStart(4, "0")}.yaml`), planText(i))));
    loadCatalog(); // catalog load is a one-off per process: measured apart
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const result = await loadPlans([dir], { cwd: dir });
      times.push(performance.now() - start);
      const errors = result.diagnostics.filter((d) => d.severity === "error").length;
      if (result.plans.length !== FILES || errors > 0) throw new Error(`benchmark plans did not validate: ${errors} errors`);
    }
    const rate = over(
      times,
      (ms) => (FILES / ms) * 1000,
      (n) => `${n.toFixed(0)} files/s`,
    );
    console.log(`validate: ${FILES} plan files (${FILES * CUSTOMERS_PER_PLAN} customers) in ${over(times, (ms) => ms, fmt.ms)}, ${rate}; ${runs} runs\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
