/**
 * The executor's guards, against a scripted Partner Center over real HTTP (the real client,
 * validated as in the CLI): each test opens the window a guard exists for and checks that the
 * guard closes it — delete the guard and the test fails.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nullAuditLog } from "../../src/apply/audit.js";
import { fileJournal } from "../../src/apply/purchase-journal.js";
import { executePlan, type CustomerResult } from "../../src/apply/execute.js";
import { partnerCenterLicenses } from "../../src/licenses/partner-center-backend.js";
import { createPartnerCenterClient } from "../../src/partner-center/client.js";
import { validatedApi } from "../../src/partner-center/validated-api.js";
import { commerceBasis } from "../../src/reconcile/commerce-basis.js";
import type { Action, CustomerPlan } from "../../src/reconcile/types.js";
import { useFakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, SOURCE_OFFER, SOURCE_SKU, TARGET_OFFER, TARGET_SKU, serveWorld, visibleSubscriptions, type ScriptedWorld } from "./scripted-partner-center.js";

const MCOIMP = { skuId: SOURCE_SKU, skuPartNumber: "MCOIMP", displayName: "Skype for Business Online (Plan 1)" };
const F3 = { skuId: TARGET_SKU, skuPartNumber: "DESKLESSPACK", displayName: "Office 365 F3" };
const SRC = "11111111-1111-4111-8111-111111111111";
const TGT = "22222222-2222-4222-8222-222222222222";
const USER = (n: number) => `33333333-3333-4333-8333-${String(n).padStart(12, "0")}`;

const purchase: Action = { kind: "purchase", commerce: "legacy", offerId: TARGET_OFFER, offerName: "Office 365 F3", sku: F3, quantity: 2 };
const reassign = (n: number): Action => ({ kind: "reassign", userId: USER(n), upn: `user${n}@contoso.onmicrosoft.com`, assign: F3, remove: MCOIMP });
const suspend: Action = { kind: "suspend", subscriptionId: SRC, sku: MCOIMP, quantity: 2, commitmentEndDate: null };

function untouched(): ScriptedWorld {
  return {
    subscriptions: [{ id: SRC, offerId: SOURCE_OFFER, quantity: 2, status: "active" }],
    consumed: { [SOURCE_SKU]: 2 },
    ordered: [],
    listOrderedSubscriptions: false,
  };
}

function customer(actions: Action[]): CustomerPlan {
  return {
    customerId: CUSTOMER,
    name: "Contoso",
    planName: "test",
    source: MCOIMP,
    target: F3,
    sourceEndDate: undefined,
    daysLeft: undefined,
    actions,
    notes: [],
    counts: { sourceHolders: 2, onTarget: 0, excluded: 0 },
  };
}

describe("executor", () => {
  const server = useFakeServer();
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "pcplan-exec-"));
  });

  async function run(world: ScriptedWorld, actions: Action[], basisOf: ScriptedWorld = world, maxRetries = 2): Promise<CustomerResult> {
    const api = validatedApi(createPartnerCenterClient({ endpoint: server.url, token: () => Promise.resolve("test-token-123456"), maxRetries, baseDelayMs: 1 }));
    const bases = new Map([[CUSTOMER, commerceBasis(visibleSubscriptions(basisOf))]]);
    const [result] = await executePlan(api, [customer(actions)], {
      concurrency: 1,
      userConcurrency: 2,
      audit: nullAuditLog,
      licenses: (limit) => partnerCenterLicenses(api, limit),
      bases,
      commerce: { journal: fileJournal(join(dir, "purchases.jsonl")), provisioningTimeoutMs: 0, sleep: () => Promise.resolve(), now: Date.now },
    });
    return result;
  }

  it("writes step by step: purchase, then every reassignment, then the suspension", async () => {
    const world = untouched();
    const writes = serveWorld(server, world);
    const r = await run(world, [suspend, reassign(2), purchase, reassign(1)]);
    expect(r.status).toBe("applied");
    expect(writes().map((w) => `${w.method} ${w.path.split("/").slice(4).join("/")}`)).toEqual([
      "POST orders",
      expect.stringMatching(/^POST users\/.*\/licenseupdates$/),
      expect.stringMatching(/^POST users\/.*\/licenseupdates$/),
      `PATCH subscriptions/${SRC}`,
    ]);
  });

  it("after a failed reassignment, skips the suspension: nothing is retired while users may still hold it", async () => {
    const world = { ...untouched(), consumed: { [SOURCE_SKU]: 0 }, licenseUpdateStatus: { status: 403, body: { code: 2032, description: "Access denied" } } };
    const writes = serveWorld(server, world);
    const r = await run(world, [reassign(1), suspend]);
    expect(r.status).toBe("failed");
    expect(r.skipped).toEqual([suspend]);
    expect(writes().filter((w) => w.method === "PATCH")).toEqual([]);
  });

  it("refuses to suspend while someone still holds the source", async () => {
    const world = { ...untouched(), consumed: { [SOURCE_SKU]: 1 } };
    const writes = serveWorld(server, world);
    const r = await run(world, [suspend]);
    expect(r.failed[0]?.error).toMatch(/refusing to suspend MCOIMP .*1 user\(s\) still hold MCOIMP/);
    expect(writes()).toEqual([]);
  });

  it("refuses to suspend when the subscribed SKUs do not list the source at all (fails closed)", async () => {
    const world = { ...untouched(), consumed: { [TARGET_SKU]: 2 } };
    const writes = serveWorld(server, world);
    const r = await run(world, [suspend]);
    expect(r.failed[0]?.error).toMatch(/do not list MCOIMP/);
    expect(writes()).toEqual([]);
  });

  it("refuses a resize when the subscription's seats changed since planning", async () => {
    const world = { ...untouched(), subscriptions: [...untouched().subscriptions, { id: TGT, offerId: TARGET_OFFER, quantity: 3, status: "active" }] };
    const writes = serveWorld(server, world);
    const r = await run(world, [{ kind: "resize", subscriptionId: TGT, sku: F3, from: 2, to: 4 }]);
    expect(r.failed[0]?.error).toMatch(/changed since planning \(now active, 3 seats\)/);
    expect(writes()).toEqual([]);
  });

  it("refuses a purchase when the customer's subscriptions changed since they were read (another run bought)", async () => {
    const planned = untouched();
    const world = { ...untouched(), subscriptions: [...untouched().subscriptions, { id: TGT, offerId: TARGET_OFFER, quantity: 2, status: "active" }] };
    const writes = serveWorld(server, world);
    const r = await run(world, [purchase], planned);
    expect(r.failed[0]?.error).toMatch(/subscriptions changed since they were read/);
    expect(writes()).toEqual([]);
  });

  it("sends the same request id for a purchase repeated after its response was lost (the service replays it)", async () => {
    const world = { ...untouched(), loseOrderResponse: true };
    const writes = serveWorld(server, world);
    const first = await run(world, [purchase], world, 0);
    expect(first.status).toBe("failed");
    // The next run reads the same subscriptions (the ordered one is not listed yet) and buys again.
    world.loseOrderResponse = false;
    const second = await run(world, [purchase], world, 0);
    expect(second.status).toBe("applied");
    const ids = writes().map((w) => w.headers["ms-requestid"]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it("gives other writes fresh request ids", async () => {
    const world = { ...untouched(), consumed: { [SOURCE_SKU]: 0 } };
    const writes = serveWorld(server, world);
    await run(world, [reassign(1), reassign(2)]);
    const ids = writes().map((w) => w.headers["ms-requestid"]);
    expect(new Set(ids).size).toBe(2);
  });
});
