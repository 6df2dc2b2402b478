/**
 * Hostile input through the whole CLI ("bad input"): malformed and hostile plan files
 * and saved plans each get a clear error naming the file, exit 1, and the sandbox's request
 * log shows no write. Plan-file fixtures are the loader's own corpus (test/plan-file/bad/);
 * this test adds generated ones and runs them through validate, plan and apply. In-process
 * through `main` (test/helpers/in-process.ts): what is under test is the commands' handling of
 * the input, not the process (was a `*.cli.test.ts` of 30 spawns).
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/saved-plan/saved-plan.js";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { settleEarlierOrders } from "../helpers/demo-run.js";
import { REPO, tempCheckout } from "../helpers/cli.js";
import { runMain, type MainResult } from "../helpers/in-process.js";

const NOW = "2026-11-24T00:00:00Z";
const BAD = join(REPO, "test/plan-file/bad");
const PLAN_HEAD =
  "apiVersion: pcplan/v1\nkind: MigrationPlan\nmetadata:\n  name: hostile\nspec:\n  source: { sku: MCOIMP }\n  target: { sku: DESKLESSPACK }\n  customers:\n";
const CONTOSO = "    - id: 6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a\n      name: Contoso Ltd\n";

let sandbox: SandboxHandle;
let cwd: string;
let savedPlan: string;
const cli = (args: string[]) => {
  const online = args[0] === "plan" || args[0] === "apply" ? ["--endpoint", sandbox.url, "--now", NOW] : [];
  return runMain([...args, ...online], { cwd, env: { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin } });
};
const writes = () => sandbox.requestLog.filter((r) => r.write);

/** Recomputes the (unkeyed) integrity digest, as an attacker who can write the file could. */
function resign(plan: Record<string, unknown>): string {
  const { integrity: _drop, ...rest } = plan;
  return JSON.stringify({ ...rest, integrity: "sha256:" + createHash("sha256").update(canonicalJson(rest)).digest("hex") });
}

beforeAll(async () => {
  // Tailwind's earlier order provisioned before the run: a saved plan made at the start would
  // otherwise go stale for Tailwind a minute in (and the forgery would not be what is refused).
  const fixture = await loadFixture(DEMO_FIXTURE_PATH);
  settleEarlierOrders(fixture);
  sandbox = await startSandbox({ fixture, clock: NOW });
  cwd = await tempCheckout();
  const h = join(cwd, "hostile");
  await mkdir(join(h, "empty-dir"), { recursive: true });
  await writeFile(join(h, "huge.yaml"), PLAN_HEAD + CONTOSO + `#${"x".repeat(2 * 1024 * 1024)}\n`);
  await writeFile(join(h, "binary.yaml"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x00, 0xc3, 0x28]));
  await writeFile(join(h, "js-function.yaml"), PLAN_HEAD + CONTOSO + '  seats: !!js/function "function () { return process.exit(0) }"\n');
  await writeFile(join(h, "wrong-types.yaml"), PLAN_HEAD.replace("{ sku: DESKLESSPACK }", "[DESKLESSPACK]") + "    - id: 42\n  suspendSource: yes\n");
  await writeFile(
    join(h, "proto-customer.yaml"),
    PLAN_HEAD + CONTOSO + '      __proto__: { isAdmin: true }\n      "constructor": { prototype: { polluted: true } }\n',
  );

  // A genuine saved plan to start the saved-plan cases from.
  savedPlan = join(cwd, "plan.json");
  const r = await cli(["plan", "--out", savedPlan]);
  expect(r.code, r.stderr).toBe(0);
  sandbox.requestLog.length = 0;
});
afterAll(async () => {
  await sandbox?.close();
});

const planFileCases: [string, string, RegExp][] = [
  ["invalid YAML", join(BAD, "yaml-syntax.yaml"), /yaml-syntax\.yaml:\d+:\d+/],
  ["wrong types (sku as a string)", join(BAD, "source-as-string.yaml"), /source-as-string\.yaml:\d+:\d+.*spec\.source/],
  ["wrong types (generated)", "hostile/wrong-types.yaml", /wrong-types\.yaml:\d+:\d+/],
  ["a 2 MB file", "hostile/huge.yaml", /huge\.yaml.*over the 1048576-byte limit/],
  ["alias bomb", join(BAD, "alias-bomb.yaml"), /alias-bomb\.yaml:\d+:\d+.*alias bomb/],
  ["__proto__ key", join(BAD, "proto-key.yaml"), /proto-key\.yaml:\d+:\d+.*__proto__/],
  ["constructor key", join(BAD, "constructor-key.yaml"), /constructor-key\.yaml:\d+:\d+/],
  ["__proto__ / constructor in a customer", "hostile/proto-customer.yaml", /proto-customer\.yaml:\d+:\d+/],
  ["unknown field", join(BAD, "unknown-field.yaml"), /unknown-field\.yaml:\d+:\d+/],
  ["!!js/function tag", "hostile/js-function.yaml", /js-function\.yaml:\d+:\d+.*unknown tag !!js\/function/],
  ["!!binary tag", join(BAD, "unknown-tag.yaml"), /unknown-tag\.yaml:\d+:\d+.*unknown tag !!binary/],
  ["custom tag", join(BAD, "custom-tag.yaml"), /custom-tag\.yaml:\d+:\d+.*unknown tag !env/],
  ["duplicate key", join(BAD, "duplicate-key.yaml"), /duplicate-key\.yaml:\d+:\d+.*duplicate key/],
  ["binary junk", "hostile/binary.yaml", /binary\.yaml.*not valid UTF-8/],
  ["empty file", join(BAD, "empty-file.yaml"), /empty-file\.yaml:1:1/],
  ["unknown SKU", join(BAD, "unknown-sku.yaml"), /unknown-sku\.yaml:\d+:\d+/],
  ["no such file", "hostile/missing.yaml", /missing\.yaml.*no such file/],
];

function expectRefused(r: MainResult, message: RegExp): void {
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(r.stdout + r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  expect(writes()).toEqual([]);
}

describe("hostile plan files: a clear error, exit 1, nothing written", () => {
  it.each(planFileCases)("%s", async (_name, file, message) => {
    // `validate` of each corpus file is test/plan-file/bad-corpus.test.ts; here: the online commands.
    const [plan, apply] = await Promise.all([cli(["plan", file]), cli(["apply", "--auto-approve", file])]);
    expectRefused(plan, message);
    expectRefused(apply, message);
    // plan and apply stop before the network: not even a read.
    expect(sandbox.requestLog).toEqual([]);
  });

  it("a directory with no plan files", async () => {
    const [plan, apply] = await Promise.all([cli(["plan", "hostile/empty-dir"]), cli(["apply", "--auto-approve", "hostile/empty-dir"])]);
    expectRefused(plan, /no plan files .* in hostile\/empty-dir; nothing was read or written/);
    expectRefused(apply, /no plan files/);
    expect(sandbox.requestLog).toEqual([]);
  });
});

describe("hostile saved plans: a clear error, exit 1, nothing written", () => {
  const cases: [string, (text: string) => string | Buffer, RegExp][] = [
    ["tampered (quantity edited)", (t) => t.replace('"quantity": 12', '"quantity": 1200'), /integrity check failed/],
    ["wrong formatVersion", (t) => t.replace('"formatVersion": 2', '"formatVersion": 3'), /formatVersion 3 is not supported/],
    ["not JSON", () => "{ this is not json", /invalid JSON/],
    ["not a saved plan", () => JSON.stringify({ hello: "world" }), /not a pcplan saved plan/],
    ["binary junk", () => Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]), /invalid JSON/],
    ["__proto__ keys (unsigned)", (t) => t.replace("{", '{ "__proto__": { "polluted": true },'), /integrity check failed/],
    [
      "__proto__ keys, digest recomputed",
      (t) => resign({ ...(JSON.parse(t) as object), ["__proto__"]: { polluted: true } }),
      /integrity check failed|unknown field "__proto__"/,
    ],
    [
      "__proto__ in a customer, digest recomputed",
      (t) => {
        const p = JSON.parse(t) as { customers: Record<string, unknown>[] };
        Object.defineProperty(p.customers[0], "__proto__", { value: { polluted: true }, enumerable: true });
        return resign(p);
      },
      /unknown field "__proto__"/,
    ],
    ["unknown field, digest recomputed", (t) => resign({ ...(JSON.parse(t) as object), extra: 1 }), /unknown field "extra"/],
    [
      "wrong types, digest recomputed",
      (t) => {
        const p = JSON.parse(t) as { customers: { plan: object }[] };
        return resign({ ...p, customers: [{ plan: { ...p.customers[0]?.plan, customerId: 42 }, fingerprint: null }] });
      },
      /not a valid saved plan: \$\.customers\[0\]\.plan\.customerId: must be a lowercase GUID/,
    ],
    [
      "forged actions, digest recomputed",
      (t) => {
        const p = JSON.parse(t) as { customers: { plan: { actions: { kind: string; quantity?: number }[] } }[] };
        const purchase = p.customers.flatMap((c) => c.plan.actions).find((a) => a.kind === "purchase")!;
        purchase.quantity = 9000;
        return resign(p);
      },
      /saved actions for .* are not what the plan files give/,
    ],
  ];

  it.each(cases)("%s", async (name, mutate, message) => {
    const file = join(cwd, "hostile-plan.json");
    await writeFile(file, mutate(await readFile(savedPlan, "utf8")));
    // `show` reads no live state, so only apply can tell forged actions from real ones.
    const [apply, show] = await Promise.all([cli(["apply", file]), name.startsWith("forged") ? undefined : cli(["show", file])]);
    expectRefused(apply, message);
    if (show) expectRefused(show, message);
  });

  it("a saved plan over the size limit is refused unread", async () => {
    const file = join(cwd, "huge-plan.json");
    await writeFile(file, Buffer.alloc(64 * 1024 * 1024 + 1, 0x20));
    expectRefused(await cli(["apply", file]), /huge-plan\.json: \d+ bytes is too large for a saved plan/);
  });
});
