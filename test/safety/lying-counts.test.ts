/**
 * Issue 22 §1, "never retire in use on a plausible wrong count": the subscribed SKUs say no unit
 * of the source is consumed while users still hold it (a lagging or wrong count). A retirement
 * rests on two readings that agree — the count and the holders themselves — read right before
 * the write; `plan` reads the holders wherever it could retire, whatever the count says.
 * In-process runs against the demo world behind a proxy that rewrites Adventure Works' answers.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO } from "../helpers/demo-customers.js";
import type { Answer, ProxiedRequest } from "../helpers/hostile-proxy.js";
import { startProxiedDemo, type ProxiedDemo } from "../helpers/proxied-demo.js";

const MCOIMP = "b8b749f8-a4ef-4887-9539-c95b1eaa5db7";
const DESKLESSPACK = "4b585984-651b-448a-9e53-3b10f069cf7f";
const SOURCE_SUB = "2e4596ea-b9ac-4f2e-a473-8a4cef18b42c";

let demo: ProxiedDemo;
beforeEach(async () => {
  demo = await startProxiedDemo();
});
afterEach(async () => {
  await demo.close();
});

/** Adventure Works' subscribed SKUs always count 0 consumed units of MCOIMP, whoever holds it. */
function countNobody(req: ProxiedRequest, a: Answer): void {
  if (req.method !== "GET" || req.customerId !== DEMO.adventure || !req.path.endsWith("/subscribedskus") || a.status !== 200) return;
  for (const k of (a.body as { items: { consumedUnits: number; productSku: { id: string } }[] }).items) {
    if (k.productSku.id.toLowerCase() === MCOIMP) k.consumedUnits = 0;
  }
}

const holdersOfSource = () => demo.users(DEMO.adventure).filter((u) => u.licenses.some((l) => l.toLowerCase() === MCOIMP));
const sourceStatus = () => demo.subscriptions(DEMO.adventure).find((s) => s.id.toLowerCase() === SOURCE_SUB)?.status;
const adventure = ["--customer", DEMO.adventure, "--license-api", "partner-center"];

describe("a count of 0 while six users hold the source", () => {
  it("plan reads the holders anyway: it moves the six before it suspends, never only `- suspend`", async () => {
    demo.proxy.hooks = { response: countNobody };
    const r = await demo.pcplan("plan", ...adventure);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/~ reassign/g)).toHaveLength(6);
    expect(r.stdout).toMatch(/- suspend/);
    // Read through the users and their licences, not taken from the count.
    expect(demo.proxy.seen.some((s) => s.customerId === DEMO.adventure && s.path.endsWith("/licenses"))).toBe(true);
  });

  it("apply suspends only once the holders themselves show nobody on the source", async () => {
    demo.proxy.hooks = { response: countNobody };
    const r = await demo.pcplan("apply", "--auto-approve", ...adventure);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(holdersOfSource()).toEqual([]);
    expect(demo.users(DEMO.adventure).filter((u) => u.licenses.some((l) => l.toLowerCase() === DESKLESSPACK))).toHaveLength(11);
    expect(sourceStatus()).toBe("suspended");
  });

  it("a reassignment the service says it made but did not: the two readings disagree and nothing is retired", async () => {
    let faked = "";
    demo.proxy.hooks = {
      // The first reassignment (a licence update that assigns the target; apply's access proof
      // before it re-asserts a held licence unchanged) is answered 201 and never reaches the
      // sandbox: its user keeps MCOIMP.
      request(req) {
        if (faked !== "" || req.method !== "POST" || req.customerId !== DEMO.adventure || !req.path.endsWith("/licenseupdates")) return undefined;
        if (!req.body.toLowerCase().includes(DESKLESSPACK)) return undefined;
        faked = req.path;
        return { status: 201, body: { ...(JSON.parse(req.body) as object), licenseWarnings: [] } };
      },
      response: countNobody,
    };
    const r = await demo.pcplan("apply", "--auto-approve", ...adventure);
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(3);
    expect(holdersOfSource()).toHaveLength(1);
    expect(sourceStatus()).toBe("active");
    expect(out).toMatch(
      /readings disagree — the subscribed SKUs count 0 consumed unit\(s\) of MCOIMP, the partner-center licence reads find 1 user\(s\) holding it \(\w+@adventureworks/,
    );
    expect(out).not.toMatch(/internal error/);
  });
});
