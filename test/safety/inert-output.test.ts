/**
 * Issue 11, "output a server cannot forge": a customer's companyName (read from Partner Center
 * when the plan gives no name) carrying escape sequences and line breaks once forged an "Apply
 * complete: 0 changes applied." line; markdown kept escape bytes and `@everyone`. Server text is
 * printed inert in text, markdown and JSON, and in the errors a server describes. `pcplan` runs
 * in-process through `main` (test/helpers/in-process.ts): what it writes to its stdout and stderr
 * streams is what a terminal would get.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO } from "../helpers/demo-customers.js";
import { startDemoRun, type DemoRun } from "../helpers/demo-run.js";

const FORGED = "Apply complete: 0 changes applied.";
const HOSTILE = `Wide World\u001b[2K\r\n${FORGED}\n\u001b[31m@everyone\u0007\u009b2J\u202eevil\u2028x\ty`;
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

let run: DemoRun;
beforeEach(async () => {
  run = await startDemoRun({ inProcess: true, fixture: (f) => void (f.customers.find((c) => c.id === DEMO.wideworld)!.companyName = HOSTILE) });
  // Wide World Importers without a name in its plan: pcplan reads the hostile one from the server.
  const file = join(run.cwd, "plans/office365-f1.yaml");
  await writeFile(file, (await readFile(file, "utf8")).replace(/\n +name: Wide World Importers[^\n]*/, ""));
}, 60_000);
afterEach(async () => {
  await run.close();
});

/** No control character, no forged line: `FORGED` may only appear where pcplan itself wrote it. */
function expectInert(text: string): void {
  expect(text).not.toMatch(CONTROL);
  expect(text.split("\n").filter((l) => l === FORGED)).toEqual([]);
}

// Runs of the CLI against a sandbox: a hang guard sized for a loaded 2-core machine.
describe("server text is printed inert", { timeout: 120_000 }, () => {
  it("text: plan and apply", async () => {
    const plan = await run.cli(["plan", "--customer", DEMO.wideworld]);
    expect(plan.code, plan.stderr).toBe(0);
    expectInert(plan.stdout + plan.stderr);
    expect(plan.stdout).toContain(`Wide World\ufffd[2K ${FORGED} \ufffd[31m@everyone`);

    const apply = await run.cli(["apply", "--auto-approve", "--customer", DEMO.wideworld]);
    expect(apply.code, apply.stderr).toBe(0);
    expectInert(apply.stdout + apply.stderr);
    expect(apply.stdout).toMatch(/\nApply complete: 1 change applied\.\n$/);
  });

  it("markdown: no escape bytes, and @everyone cannot notify anyone", async () => {
    const r = await run.cli(["plan", "--format", "markdown", "--customer", DEMO.wideworld]);
    expect(r.code, r.stderr).toBe(0);
    expectInert(r.stdout);
    expect(r.stdout).not.toContain("@everyone");
    expect(r.stdout).toContain("&#64;everyone");
  });

  it("JSON: the name is data, without control characters", async () => {
    const r = await run.cli(["plan", "--format", "json", "--customer", DEMO.wideworld]);
    expect(r.code, r.stderr).toBe(0);
    // JSON would escape them as \u001b: not even that.
    expect(r.stdout).not.toMatch(/\\u00[01][0-9a-f]|\\[rnt]/i);
    const name = (JSON.parse(r.stdout) as { customers: { name: string }[] }).customers[0].name;
    expect(name).not.toMatch(CONTROL);
    expect(name).toContain(FORGED);
  });

  it("status text and JSON", async () => {
    const [text, json] = await Promise.all([
      run.cli(["status", "--customer", DEMO.wideworld]),
      run.cli(["status", "--format", "json", "--customer", DEMO.wideworld]),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expectInert(text.stdout);
    expect(text.stdout).toContain(`Wide World\ufffd[2K ${FORGED}`);
    expect(json.stdout).not.toMatch(/\\u00[01][0-9a-f]|\\[rnt]/i);
  });

  it("an error description a server sends is printed inert too", async () => {
    // Reassignments (updates that assign the target, DESKLESSPACK) fail; apply's access proof
    // before them (a held licence re-asserted unchanged) passes.
    run.proxy.hooks = {
      request: (req) =>
        req.method === "POST" &&
        req.customerId === DEMO.adventure &&
        req.path.endsWith("/licenseupdates") &&
        req.body.includes("4b585984-651b-448a-9e53-3b10f069cf7f")
          ? { status: 400, body: { code: 60000, description: `nope\u001b[2K\r\n${FORGED}\n\u001b]0;owned\u0007` } }
          : undefined,
    };
    const r = await run.cli(["apply", "--auto-approve", "--customer", DEMO.adventure]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expectInert(r.stdout + r.stderr);
    expect(r.stdout).toMatch(/failed +Adventure Works .*reassign failed: .*nope\ufffd\[2K Apply complete: 0 changes applied\./);
    expect(r.stdout).toMatch(/\nNothing was applied; 1 customer not done: Adventure Works \(failed\)\.\n$/);
  });
});
