/**
 * Partner Center as the licence API shows no groups (issue 23): the demo world's Lucerne
 * Publishing (docs/demo-world.md) holds its source through the group "Editorial", which Partner
 * Center sees as direct holders. Its licence update refuses a licence the group assigns ("User
 * license is inherited from a group membership and it cannot be removed directly from the user",
 * learn.microsoft.com/entra/identity/users/licensing-group-advanced): apply says so once for the
 * customer, never retries it, and sends nothing more for the customer after the first refusal.
 * In-process through `main`, against the sandbox over HTTP on 127.0.0.1.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { tempCheckout } from "../helpers/cli.js";
import { DEMO, DEMO_NOW } from "../helpers/demo-customers.js";
import { runMain } from "../helpers/in-process.js";

let sandbox: SandboxHandle;
let cwd: string;
beforeEach(async () => {
  sandbox = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), port: 0, clock: DEMO_NOW });
  cwd = await tempCheckout();
});
afterEach(async () => {
  await sandbox.close();
});

const apply = (...extra: string[]) =>
  runMain(["apply", "--auto-approve", "--customer", DEMO.lucerne, "--license-api", "partner-center", ...extra, "--endpoint", sandbox.url, "--now", DEMO_NOW], {
    cwd,
    env: { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin },
  });
const licenceUpdates = () => sandbox.requestLog.filter((e) => e.write && e.path.endsWith("/licenseupdates"));
const upnOf = (path: string) => {
  const id = /users\/([^/]+)\/licenseupdates$/.exec(path)?.[1]?.toLowerCase();
  return sandbox
    .world()
    .customers.find((c) => c.id === DEMO.lucerne)!
    .users.find((u) => u.id.toLowerCase() === id)?.userPrincipalName;
};

describe("a licence held through a group, with Partner Center as the licence API", () => {
  it("is reported once for the customer as held through a group, not retried, and nothing more is sent for the customer after it", async () => {
    // One update at a time, so "after the first refusal" is exact. Nothing is bought for Lucerne,
    // so no access proof: Ava (direct and through the group) moves, Ben (through the group only)
    // is refused, and Cleo, Dev, Eli, Finn and Gus are never sent.
    const r = await apply("--user-concurrency", "1");
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(licenceUpdates().map((e) => `${upnOf(e.path)?.split("@")[0]} ${e.status}`)).toEqual(["ava 201", "ben 400"]);
    expect(sandbox.changes.filter((c) => c.kind === "licenses")).toHaveLength(1);
    expect(r.stdout.match(/held through a group: use --license-api graph/g)).toHaveLength(1);
    expect(r.stdout).toMatch(
      /failed +Lucerne Publishing .*reassign failed: held through a group: use --license-api graph .*; 6 later steps skipped \(reassign, suspend\)/,
    );
    // The source stays: nobody lost it, and it is not retired.
    expect(sandbox.changes.some((c) => c.kind === "subscription")).toBe(false);
    const audit = (await readFile(join(cwd, ".pcplan/audit.jsonl"), "utf8")).trim().split("\n");
    expect(audit.filter((l) => l.includes('"outcome":"failed"') && l.includes("HELD_THROUGH_GROUP"))).toHaveLength(1);
  });

  it("with updates in flight at once, the refusals that were already sent are named once, with their users", async () => {
    const r = await apply();
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout.match(/held through a group: use --license-api graph/g)).toHaveLength(1);
    // Four in flight (the default --user-concurrency) after the access proof: Ben, Cleo and Dev are
    // refused (named once, together); a slot Ava's success frees may send Eli before the first
    // refusal is back, but Finn and Gus, further down, are never sent.
    const updates = licenceUpdates().slice(1);
    const refused = updates
      .filter((e) => e.status === 400)
      .map((e) => upnOf(e.path))
      .sort();
    expect(refused).toEqual(expect.arrayContaining(["ben", "cleo", "dev"].map((n) => `${n}@lucernepublishing.onmicrosoft.com`)));
    expect(r.stdout).toContain(`reassign failed for ${refused.length} (${refused.join(", ")}): held through a group`);
    expect(updates.map((e) => upnOf(e.path))).not.toEqual(expect.arrayContaining(["gus@lucernepublishing.onmicrosoft.com"]));
    // Each refused update was sent once: a refusal because of a group is not retried.
    expect(new Set(refused).size).toBe(refused.length);
  });
});
