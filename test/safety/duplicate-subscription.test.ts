/**
 * Issue 22 §6, "a subscription listed twice": Partner Center's subscriptions answer names
 * Adventure Works' source subscription twice. Without a dedupe by id the diff planned two
 * identical `- suspend` lines and apply wrote twice. Each subscription is kept once, and the
 * preview says which one was listed twice; copies that differ leave the customer untouched.
 * In-process runs against the demo world behind a proxy that rewrites the answer.
 */
import { describe, expect, it } from "vitest";
import { DEMO } from "../helpers/demo-customers.js";
import type { Answer, ProxiedRequest } from "../helpers/hostile-proxy.js";
import { proxiedDemoPerTest } from "../helpers/proxied-demo.js";

const SOURCE_SUB = "2e4596ea-b9ac-4f2e-a473-8a4cef18b42c";

const demo = proxiedDemoPerTest();

/** Adventure Works' subscriptions answer lists the source twice; `edit` changes the second copy. */
function listedTwice(edit: (copy: Record<string, unknown>) => void = () => undefined) {
  return (req: ProxiedRequest, a: Answer): void => {
    if (req.method !== "GET" || req.customerId !== DEMO.adventure || !req.path.endsWith("/subscriptions") || a.status !== 200) return;
    const body = a.body as { items: Record<string, unknown>[]; totalCount: number };
    const source = body.items.find((s) => String(s.id).toLowerCase() === SOURCE_SUB);
    if (!source) return;
    const copy = { ...source, id: SOURCE_SUB.toUpperCase() };
    edit(copy);
    body.items.push(copy);
    body.totalCount = body.items.length;
  };
}

const adventure = ["--customer", DEMO.adventure, "--license-api", "partner-center"];
const writesTo = (id: string) => demo().sandbox.requestLog.filter((r) => r.write && r.path.toLowerCase().includes(`/subscriptions/${id}`));

describe("a subscription listed twice", () => {
  it("plan shows one suspend line and says which subscription was listed twice", async () => {
    demo().proxy.hooks = { response: listedTwice() };
    const r = await demo().pcplan("plan", ...adventure);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/- suspend/g)).toHaveLength(1);
    expect(r.stdout).toContain(`subscription ${SOURCE_SUB} was listed 2 times by Partner Center; counted once`);
  });

  it("apply suspends it with one write", async () => {
    demo().proxy.hooks = { response: listedTwice() };
    const r = await demo().pcplan("apply", "--auto-approve", ...adventure);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/- suspend/g)).toHaveLength(1);
    expect(r.stdout).toContain("6 reassignments, 1 suspension\n");
    expect(r.stdout).toContain("Apply complete: 7 changes applied.");
    expect(writesTo(SOURCE_SUB)).toHaveLength(1);
    expect(
      demo()
        .subscriptions(DEMO.adventure)
        .find((s) => s.id.toLowerCase() === SOURCE_SUB)?.status,
    ).toBe("suspended");
  });

  it("copies that differ leave the customer untouched, with an error naming the subscription", async () => {
    demo().proxy.hooks = { response: listedTwice((copy) => void (copy.quantity = Number(copy.quantity) + 5)) };
    const r = await demo().pcplan("apply", "--auto-approve", ...adventure);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toContain(`subscription ${SOURCE_SUB} was listed 2 times by Partner Center, the copies differing`);
    expect(demo().sandbox.requestLog.filter((x) => x.write && x.path.toLowerCase().includes(DEMO.adventure))).toEqual([]);
  });
});
