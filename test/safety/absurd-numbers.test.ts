/**
 * Issue 22 §6, "numbers beyond any real seat count": an answer with a quantity of `1e308` (or
 * consumed units in the billions) once entered every sum as Infinity, and the resizes and
 * suspensions resting on those sums silently vanished. Seats above a million (MAX_SEATS,
 * docs/partner-center.md "Response validation") and other counts above a billion are malformed:
 * the customer is not planned, with an error naming the field, and nothing is written.
 * In-process runs against the demo world behind a proxy that rewrites Adventure Works' answers.
 */
import { describe, expect, it } from "vitest";
import { DEMO } from "../helpers/demo-customers.js";
import type { Answer, ProxiedRequest } from "../helpers/hostile-proxy.js";
import { proxiedDemoPerTest } from "../helpers/proxied-demo.js";

const MCOIMP = "b8b749f8-a4ef-4887-9539-c95b1eaa5db7";
const SOURCE_SUB = "2e4596ea-b9ac-4f2e-a473-8a4cef18b42c";

const demo = proxiedDemoPerTest();

type Item = Record<string, unknown>;

/** Edits the items of Adventure Works' answers to GETs ending in `suffix`. */
function rewrite(suffix: string, edit: (item: Item) => void) {
  return (req: ProxiedRequest, a: Answer): void => {
    if (req.method !== "GET" || req.customerId !== DEMO.adventure || !req.path.endsWith(suffix) || a.status !== 200) return;
    for (const item of (a.body as { items: Item[] }).items) edit(item);
  };
}
const ofSource = (edit: (item: Item) => void) => (item: Item) => {
  const sku = (item.productSku as { id?: string } | undefined)?.id?.toLowerCase();
  if (String(item.id).toLowerCase() === SOURCE_SUB || sku === MCOIMP) edit(item);
};

const adventure = ["--customer", DEMO.adventure, "--license-api", "partner-center"];
const adventureWrites = () => demo().sandbox.requestLog.filter((r) => r.write && r.path.toLowerCase().includes(DEMO.adventure));

describe("numbers beyond any real seat count are malformed", () => {
  it.each([
    [
      "a subscription's quantity of 1e308",
      "/subscriptions",
      "quantity",
      1e308,
      /items\[\d+\]\.quantity: must be 1000000 or less \(no real count is larger\), got 1e\+308/,
    ],
    ["a subscription's quantity of 1,000,001", "/subscriptions", "quantity", 1_000_001, /items\[\d+\]\.quantity: must be 1000000 or less .*, got 1000001/],
    ["consumed units of 1e308", "/subscribedskus", "consumedUnits", 1e308, /items\[\d+\]\.consumedUnits: must be 1000000 or less .*, got 1e\+308/],
    ["total units of 1e308", "/subscribedskus", "totalUnits", 1e308, /items\[\d+\]\.totalUnits: must be 1000000000 or less .*, got 1e\+308/],
    ["available units of -1e308", "/subscribedskus", "availableUnits", -1e308, /items\[\d+\]\.availableUnits: must be -1000000000 or more, got -1e\+308/],
  ])("%s: apply names the field, plans and writes nothing for the customer", async (_, suffix, field, value, message) => {
    demo().proxy.hooks = {
      response: rewrite(
        suffix,
        ofSource((item) => void (item[field] = value)),
      ),
    };
    const r = await demo().pcplan("apply", "--auto-approve", ...adventure);
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(1);
    expect(out).toMatch(message);
    expect(out).not.toMatch(/internal error|Infinity/);
    expect(adventureWrites()).toEqual([]);
  });

  it("a million seats, the bound itself, is still a count; so are ten million units owned (a free SKU's allotment)", async () => {
    const bounds = (item: Item) => Object.assign(item, { totalUnits: 10_000_000, activeUnits: 10_000_000 });
    demo().proxy.hooks = {
      response: (req, a) => {
        rewrite("/subscribedskus", ofSource(bounds))(req, a);
        rewrite(
          "/subscriptions",
          ofSource((item) => void (item.quantity = 1_000_000)),
        )(req, a);
      },
    };
    const r = await demo().pcplan("plan", ...adventure);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/- suspend/);
  });
});
