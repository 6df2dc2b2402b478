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
import { RunTimeoutError } from "../../src/http/deadline.js";
import { fileJournal } from "../../src/journal/purchase-journal.js";
import { executePlan, type CustomerResult } from "../../src/apply/execute.js";
import type { LicenseChange, LicenseChangeOutcome } from "../../src/licenses/backend.js";
import { partnerCenterLicenses } from "../../src/licenses/partner-center-backend.js";
import { createPartnerCenterClient } from "../../src/partner-center/client.js";
import { validatedApi } from "../../src/partner-center/validated-api.js";
import { commerceBasis } from "../../src/reconcile/commerce-basis.js";
import type { Action } from "../../src/reconcile/types.js";
import { useFakeServer } from "../helpers/fake-server.js";
import { F3, MCOIMP, applyTo, customerPlan as customer } from "./harness.js";
import {
  CUSTOMER,
  SOURCE_OFFER,
  SOURCE_SKU,
  TARGET_OFFER,
  TARGET_SKU,
  serveWorld,
  visibleSubscriptions,
  type ScriptedWorld,
} from "./scripted-partner-center.js";

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

describe("executor", () => {
  const server = useFakeServer();
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "pcplan-exec-"));
  });

  async function run(world: ScriptedWorld, actions: Action[], basisOf: ScriptedWorld = world, maxRetries = 2): Promise<CustomerResult> {
    const api = validatedApi(
      createPartnerCenterClient({ endpoint: server.url, token: () => Promise.resolve("test-token-123456"), maxRetries, baseDelayMs: 1 }),
    );
    const bases = new Map([[CUSTOMER, commerceBasis(visibleSubscriptions(basisOf))]]);
    const [result] = await executePlan(api, [customer(actions)], {
      concurrency: 1,
      userConcurrency: 2,
      audit: nullAuditLog,
      licenses: (limit) => partnerCenterLicenses(api, limit),
      bases,
      subscriptions: new Map([[CUSTOMER, visibleSubscriptions(basisOf)]]),
      commerce: {
        journal: fileJournal(join(dir, "purchases.jsonl")),
        provisioningTimeoutMs: 0,
        wait: { now: Date.now, sleep: () => Promise.resolve() },
        now: Date.now,
      },
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
    // Each user gets the target and loses the source in the one call.
    expect(writes()[1]?.json).toMatchObject({ licensesToAssign: [{ skuId: TARGET_SKU }], licensesToRemove: [SOURCE_SKU] });
  });

  it("after a failed reassignment, skips the suspension: nothing is retired while users may still hold it", async () => {
    const world = { ...untouched(), consumed: { [SOURCE_SKU]: 0 }, licenseUpdateStatus: { status: 400, body: { code: 2000, description: "Invalid licence" } } };
    const writes = serveWorld(server, world);
    const r = await run(world, [reassign(1), suspend]);
    expect(r.status).toBe("failed");
    expect(r.skipped).toEqual([suspend]);
    expect(writes().filter((w) => w.method === "PATCH")).toEqual([]);
  });

  it("where nothing is bought, licence writes the credential may not make refuse the customer once: nothing retired", async () => {
    const world = { ...untouched(), consumed: { [SOURCE_SKU]: 0 }, licenseUpdateStatus: { status: 403, body: { code: 2032, description: "Access denied" } } };
    const writes = serveWorld(server, world);
    const r = await run(world, [reassign(1), reassign(2), suspend]);
    expect(r.status).toBe("refused");
    expect(r.refused).toMatch(
      /^the credential may not change licenses in this customer's tenant: \S+'s licence change was refused \(.*Access denied.*\); nothing was written/,
    );
    expect([r.failed, r.applied, r.skipped]).toEqual([[], [], [reassign(1), reassign(2), suspend]]);
    expect(writes().filter((w) => w.method === "PATCH")).toEqual([]);
  });

  /** The run's time limit (`--timeout`), up after its `n`th check: every write checks it before it is sent. */
  const upAfter = (n: number) => {
    const asked: string[] = [];
    const check = (waitingOn: string) => {
      asked.push(waitingOn);
      if (asked.length > n) throw new RunTimeoutError(60_000, waitingOn, "");
    };
    return { asked, check };
  };

  it("once the run's time is up no write is sent: the reassignments went out, the suspension after them did not", async () => {
    const world = { ...untouched(), consumed: { [SOURCE_SKU]: 0 } };
    const writes = serveWorld(server, world);
    const deadline = upAfter(1);
    const { result } = await applyTo(server, world, [reassign(1), reassign(2), suspend], { deadline });
    expect(result.applied).toEqual([reassign(1), reassign(2)]);
    expect(result.failed.map((f) => [f.action.kind, f.code])).toEqual([["suspend", "RUN_TIMEOUT"]]);
    expect(writes().filter((w) => w.method === "PATCH")).toEqual([]);
    expect(deadline.asked).toEqual(["its turn to write 2 reassign change(s)", `its turn to suspend ${SRC}`]);
  });

  it("a time up before the first write sends nothing: the grouped reassignments fail with RUN_TIMEOUT, nothing retired", async () => {
    const world = { ...untouched(), consumed: { [SOURCE_SKU]: 0 } };
    const writes = serveWorld(server, world);
    const { result } = await applyTo(server, world, [reassign(1), reassign(2), suspend], { deadline: upAfter(0) });
    expect(result.failed.map((f) => [f.action.kind, f.code])).toEqual([
      ["reassign", "RUN_TIMEOUT"],
      ["reassign", "RUN_TIMEOUT"],
    ]);
    expect([result.applied, result.skipped]).toEqual([[], [suspend]]);
    expect(writes()).toEqual([]);
  });

  it("refuses to suspend while someone still holds the source", async () => {
    const world = { ...untouched(), consumed: { [SOURCE_SKU]: 1 } };
    const writes = serveWorld(server, world);
    const r = await run(world, [suspend]);
    expect(r.failed[0]?.error).toMatch(/refusing to suspend MCOIMP .*1 user\(s\) still hold MCOIMP \(holder0-1@contoso.example\)/);
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
    expect(r.failed[0]?.code).toBe("STALE");
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

describe("executor outcomes", () => {
  const server = useFakeServer();
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "pcplan-exec-"));
  });

  it("a customer with nothing to do is unchanged; each action and the customer are reported as they finish", async () => {
    const world = { ...untouched(), consumed: { [SOURCE_SKU]: 1 } };
    serveWorld(server, world);
    const empty = await applyTo(server, world, []);
    expect(empty.result).toEqual({ customerId: CUSTOMER, name: "Contoso", status: "unchanged", applied: [], failed: [], provisioning: [], skipped: [] });
    expect(empty.events).toEqual([{ type: "customer-done", customerId: CUSTOMER, result: empty.result }]);

    const { result, events } = await applyTo(server, world, [reassign(1), suspend]);
    expect(result.status).toBe("applied");
    expect(result.applied).toEqual([reassign(1), suspend]);
    expect(events.map((e) => e.type)).toEqual(["action-done", "action-done", "customer-done"]);
    expect(events[0]).toEqual({ type: "action-done", customerId: CUSTOMER, action: reassign(1) });
  });

  it("reports a failed action with the service's message and pcplan's code, and skips every later step (a transition too)", async () => {
    const world = { ...untouched(), consumed: { [SOURCE_SKU]: 1 } };
    serveWorld(server, world);
    const transition: Action = {
      kind: "transition",
      subscriptionId: SRC,
      from: MCOIMP,
      to: F3,
      toCatalogItemId: "X:0001:Y",
      quantity: 2,
      term: "P1Y",
      billing: "monthly",
      users: 0,
    };
    const { result, events } = await applyTo(server, world, [transition, suspend]);
    expect(result.status).toBe("failed");
    expect(result.failed).toEqual([{ action: suspend, code: "IN_USE", error: expect.stringMatching(/^refusing to suspend/) as unknown }]);
    expect(result.skipped).toEqual([transition]);
    expect(events[0]).toEqual({ type: "action-failed", customerId: CUSTOMER, action: suspend, error: result.failed[0]?.error });
  });

  it("moves the users it can when the service refuses one of them, and retires nothing", async () => {
    const world = { ...untouched(), licenseUpdateStatus: { status: 400, body: { code: 60012, description: "no free unit" }, userId: USER(2) } };
    const writes = serveWorld(server, world);
    const { result } = await applyTo(server, world, [reassign(1), reassign(2), suspend]);
    expect(result.status).toBe("failed");
    expect(result.applied).toEqual([reassign(1)]);
    expect(result.failed.map((f) => [f.action, f.error])).toEqual([[reassign(2), expect.stringContaining("no free unit")]]);
    expect(result.skipped).toEqual([suspend]);
    expect(writes().filter((w) => w.method === "PATCH")).toEqual([]);
  });

  it("derives a request id only from a basis the customer was planned from: without one, every run sends a fresh id", async () => {
    const world = untouched();
    const writes = serveWorld(server, world);
    const transition: Action = {
      kind: "transition",
      subscriptionId: SRC,
      from: MCOIMP,
      to: F3,
      toCatalogItemId: "X:0001:Y",
      quantity: 2,
      term: "P1Y",
      billing: "monthly",
      users: 0,
    };
    for (let i = 0; i < 2; i++) await applyTo(server, world, [transition]);
    for (let i = 0; i < 2; i++) await applyTo(server, world, [transition], { basisOf: null });
    const ids = writes().map((w) => w.headers["ms-requestid"]);
    expect(ids).toHaveLength(4);
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(3);
  });

  it("applies every customer it is given", async () => {
    const world = { ...untouched(), consumed: { [SOURCE_SKU]: 0 } };
    serveWorld(server, world);
    const other = "6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a";
    const api = validatedApi(
      createPartnerCenterClient({ endpoint: server.url, token: () => Promise.resolve("test-token-123456"), maxRetries: 0, baseDelayMs: 1 }),
    );
    const results = await executePlan(api, [customer([suspend]), { ...customer([]), customerId: other }], {
      concurrency: 0,
      userConcurrency: 0,
      audit: nullAuditLog,
      licenses: (limit) => partnerCenterLicenses(api, limit),
      bases: new Map(),
      commerce: {
        journal: fileJournal(join(dir, "j.jsonl")),
        provisioningTimeoutMs: 0,
        wait: { now: Date.now, sleep: () => Promise.resolve() },
        now: Date.now,
      },
    });
    expect(results.map((r) => [r.customerId, r.status])).toEqual([
      [CUSTOMER, "applied"],
      [other, "unchanged"],
    ]);
  });
});

describe("executor and the licence backend", () => {
  const server = useFakeServer();
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "pcplan-exec-"));
  });

  /** The real Partner Center backend, with its answers passed through `tamper` (a backend that misbehaves). */
  async function runWith(
    world: ScriptedWorld,
    actions: Action[],
    tamper: (changes: readonly LicenseChange[], real: () => Promise<LicenseChangeOutcome[]>) => Promise<LicenseChangeOutcome[]>,
  ) {
    serveWorld(server, world);
    const api = validatedApi(
      createPartnerCenterClient({ endpoint: server.url, token: () => Promise.resolve("test-token-123456"), maxRetries: 0, baseDelayMs: 1 }),
    );
    const calls: number[] = [];
    const [result] = await executePlan(api, [customer(actions)], {
      concurrency: 1,
      userConcurrency: 2,
      audit: nullAuditLog,
      licenses: (limit) => {
        const real = partnerCenterLicenses(api, limit);
        return {
          ...real,
          updateLicenses: (id, changes) => {
            calls.push(changes.length);
            return tamper(changes, () => real.updateLicenses(id, changes));
          },
        };
      },
      bases: new Map(),
      commerce: {
        journal: fileJournal(join(dir, "j.jsonl")),
        provisioningTimeoutMs: 0,
        wait: { now: Date.now, sleep: () => Promise.resolve() },
        now: Date.now,
      },
    });
    return { result, calls };
  }
  const moved = { ...untouched(), consumed: { [SOURCE_SKU]: 2 } };

  it("hands a customer's licence moves to the backend in one go (Graph batches them)", async () => {
    const { result, calls } = await runWith(moved, [reassign(1), reassign(2), suspend], (_c, real) => real());
    expect(result.status).toBe("applied");
    expect(calls).toEqual([2]);
  });

  it("counts a move the backend gave no outcome for as failed, and retires nothing", async () => {
    const { result } = await runWith(moved, [reassign(1), reassign(2), suspend], async (_c, real) => (await real()).slice(0, 1));
    expect(result.applied).toEqual([reassign(1)]);
    expect(result.failed).toEqual([{ action: reassign(2), error: "no outcome reported for this change" }]);
    expect(result.skipped).toEqual([suspend]);
  });

  it("counts every move failed when the backend throws, whatever it throws", async () => {
    const thrown = await runWith(moved, [reassign(1), reassign(2)], () => Promise.reject(new Error("batch refused")));
    expect(thrown.result.failed.map((f) => f.error)).toEqual(["batch refused", "batch refused"]);
    // Not every library throws Errors: what is thrown is still reported.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
    const text = await runWith(moved, [reassign(1)], () => Promise.reject("socket closed"));
    expect(text.result.failed.map((f) => f.error)).toEqual(["socket closed"]);
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
    const odd = await runWith(moved, [reassign(1)], () => Promise.reject({ reason: 1 }));
    expect(odd.result.failed.map((f) => f.error)).toEqual(["a non-Error was thrown"]);
  });
});

describe("executor status", () => {
  const server = useFakeServer();

  it("is 'provisioning' only when every failure is a wait: any other failure beside it makes it 'failed'", async () => {
    const world = {
      ...untouched(),
      pendingPolls: 100,
      subscriptions: [...untouched().subscriptions, { id: TGT, offerId: TARGET_OFFER, quantity: 3, status: "active" }],
    };
    serveWorld(server, world);
    const nce: Action = {
      kind: "purchase",
      commerce: "new",
      catalogItem: "CFQ7TTC0LGZW:0001",
      title: "Office 365 F3",
      term: "P1Y",
      billing: "monthly",
      country: "US",
      sku: F3,
      quantity: 2,
    };
    const waiting = await applyTo(server, world, [nce], { provisioningTimeoutMs: 1000 });
    expect(waiting.result.status).toBe("provisioning");
    // Seats still provisioning are no seats yet: the later steps wait for the next run.
    const before = await applyTo(server, world, [nce, reassign(1)], { provisioningTimeoutMs: 1000 });
    expect(before.result.status).toBe("provisioning");
    expect(before.result.skipped).toEqual([reassign(1)]);
    const stale: Action = { kind: "resize", subscriptionId: TGT, sku: F3, from: 2, to: 4 };
    const both = await applyTo(server, world, [nce, stale], { provisioningTimeoutMs: 1000 });
    expect(both.result.failed.map((f) => f.code)).toEqual(["STALE"]);
    expect(both.result.provisioning.map((p) => p.action)).toEqual([nce]);
    expect(both.result.status).toBe("failed");
  });
});
