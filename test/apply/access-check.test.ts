/**
 * The GDAP role pre-check (src/apply/access-check.ts): a customer whose credential lacks a role
 * its actions need gets no write at all, so a credential that may buy but not assign licences
 * never buys seats it cannot hand out. In-process against the scripted Partner Center (the CLI
 * path is test/e2e/role-precheck.cli.test.ts).
 */
import { describe, expect, it } from "vitest";
import { groupLicenseAction } from "../helpers/action-fixtures.js";
import {
  AccessRefusedError,
  ProofFailedError,
  accessVerdict,
  proofGate,
  refusedByLicenceWrites,
  spendsMoney,
  type AccessCheck,
  type LicenceProof,
} from "../../src/apply/access-check.js";
import { PcplanError, type ErrorCode } from "../../src/errors.js";
import { judgeRoles } from "../../src/access/graph-access-check.js";
import type { Action } from "../../src/reconcile/types.js";
import { useFakeServer } from "../helpers/fake-server.js";
import { F3, MCOIMP, applyTo } from "./harness.js";
import { CUSTOMER, SOURCE_OFFER, SOURCE_SKU, TARGET_OFFER, serveWorld, type ScriptedWorld } from "./scripted-partner-center.js";

const SRC = "11111111-1111-4111-8111-111111111111";
const purchase: Action = { kind: "purchase", commerce: "legacy", offerId: TARGET_OFFER, offerName: "Office 365 F3", sku: F3, quantity: 1 };
const reassign: Action = { kind: "reassign", userId: "33333333-3333-4333-8333-000000000001", upn: "user1@contoso.onmicrosoft.com", assign: F3, remove: MCOIMP };
const suspend: Action = { kind: "suspend", subscriptionId: SRC, sku: MCOIMP, quantity: 1, commitmentEndDate: null };

/** The partner user's GDAP roles per customer (undefined: they cannot be read), judged as src/access/ judges them. */
function roles(byCustomer: Record<string, string[]>): AccessCheck & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    licenceAccess: (id) => {
      asked.push(id);
      const held = byCustomer[id];
      return Promise.resolve(judgeRoles(held ? new Set(held) : undefined));
    },
  };
}

/** The refusal said for the customer, or undefined: the verdict, then the proof where the verdict asks for one. */
async function accessProblem(check: AccessCheck | undefined, customerId: string, actions: Action[], prove?: LicenceProof): Promise<string | undefined> {
  const v = await accessVerdict(check, customerId, actions);
  if (v.state === "refused") return v.reason;
  if (v.state === "allowed" || !prove) return undefined;
  try {
    await proofGate(v, prove)();
    return undefined;
  } catch (err) {
    if (err instanceof AccessRefusedError) return err.message;
    throw err;
  }
}

describe("the GDAP role pre-check", () => {
  it("refuses licence work without a role that may assign licences, naming what it needs and what the credential has", async () => {
    const problem = await accessProblem(roles({ c1: ["Directory Readers", "Global Reader"] }), "c1", [purchase, reassign, suspend]);
    expect(problem).toMatch(
      /^the credential may not change licenses in this customer's tenant: it needs a GDAP role of License Administrator, User Administrator or Directory Writers \(it has Directory Readers, Global Reader\); .*; nothing was written for this customer$/,
    );
    expect(await accessProblem(roles({ c1: [] }), "c1", [reassign])).toMatch(/\(it has no GDAP role\)/);
  });

  it("allows licence work with any one of the roles that may assign licences", async () => {
    for (const role of ["License Administrator", "User Administrator", "Directory Writers"]) {
      expect(await accessProblem(roles({ c1: ["Directory Readers", role] }), "c1", [reassign])).toBeUndefined();
    }
  });

  it("asks nothing where no action needs a GDAP role (commerce is governed by agent roles), or where there is no check", async () => {
    const check = roles({ c1: [] });
    expect(await accessProblem(check, "c1", [purchase, suspend])).toBeUndefined();
    expect(check.asked).toEqual([]);
    expect(await accessProblem(undefined, "c1", [reassign])).toBeUndefined();
  });

  it("lets the write decide when the roles cannot be read and there is no way to prove them", async () => {
    expect(await accessProblem(roles({}), "c1", [reassign])).toBeUndefined();
  });

  it("where the roles cannot be read, proves the licence write before a purchase: refused once, with the proof's answer", async () => {
    const proved: string[] = [];
    const refuse = (a: { upn: string }) => (proved.push(a.upn), Promise.reject(new PcplanError("PC_PERMISSION", "403 Forbidden")));
    const problem = await accessProblem(roles({}), "c1", [purchase, reassign, suspend], refuse);
    expect(problem).toMatch(
      /could not be shown to change licenses .*user1@contoso\.onmicrosoft\.com's MCOIMP licence unchanged was refused \(403 Forbidden\); nothing was bought/,
    );
    expect(proved).toEqual(["user1@contoso.onmicrosoft.com"]);
    expect(await accessProblem(roles({}), "c1", [purchase, reassign], () => Promise.resolve())).toBeUndefined();
  });

  it("a proof that fails for another reason (the licence moved since it was read) says nothing of the credential: the customer fails, not refused", async () => {
    const moved = () => Promise.reject(new Error("the user no longer holds b8b749f8"));
    const failure = accessProblem(roles({}), "c1", [purchase, reassign], moved);
    await expect(failure).rejects.toBeInstanceOf(ProofFailedError);
    await expect(failure).rejects.toThrow(
      /^re-asserting user1@contoso\.onmicrosoft\.com's MCOIMP licence unchanged before the first purchase failed \(the user no longer holds b8b749f8\); nothing was bought or written for this customer/,
    );
  });

  it("money is spent by a purchase and by more seats, not by fewer seats or a retirement", () => {
    const resize = (from: number, to: number): Action => ({ kind: "resize", subscriptionId: SRC, sku: F3, from, to });
    expect([purchase, resize(2, 3), resize(3, 2), resize(2, 2), suspend, reassign].map(spendsMoney)).toEqual([true, true, false, false, false, false]);
  });

  it("a proof that fails with another of pcplan's errors (a malformed answer) fails the customer, with that error as its cause", async () => {
    const malformed = new PcplanError("PC_BAD_RESPONSE", "the answer failed its schema check");
    const failure = accessProblem(roles({}), "c1", [purchase, reassign], () => Promise.reject(malformed));
    await expect(failure).rejects.toBeInstanceOf(ProofFailedError);
    await expect(failure).rejects.toMatchObject({ code: "STALE", cause: malformed });
  });

  describe("where nothing is bought, licence writes the credential may not make", () => {
    const group: Action = groupLicenseAction({ assign: F3, remove: MCOIMP });
    const refused = (action: Action, code: ErrorCode = "PC_PERMISSION") => ({ action, error: "403 Forbidden", code });
    it("refuse the customer once when every write tried was refused and none went through", () => {
      expect(refusedByLicenceWrites([], [refused(reassign)])).toBe(
        "the credential may not change licenses in this customer's tenant: user1@contoso.onmicrosoft.com's licence change was refused (403 Forbidden); nothing was written for this customer",
      );
      expect(refusedByLicenceWrites([], [refused(reassign, "GRAPH_TOKEN_REFUSED")])).toMatch(/licence change was refused/);
      expect(refusedByLicenceWrites([], [refused(group, "GRAPH_ACCESS_DENIED")])).toMatch(/: the change of \S+ was refused/);
      // A commerce write refused beside them (a step before) changes nothing of it.
      expect(refusedByLicenceWrites([], [refused(purchase), refused(reassign)])).toMatch(/^the credential may not change licenses/);
    });
    it("are failures, not a refusal, when a write went through, another failure is among them, or only commerce was refused", () => {
      expect(refusedByLicenceWrites([reassign], [refused(reassign)])).toBeUndefined();
      expect(refusedByLicenceWrites([], [refused(reassign), { action: reassign, error: "500", code: "PC_SERVICE" }])).toBeUndefined();
      expect(refusedByLicenceWrites([], [{ action: reassign, error: "boom" }])).toBeUndefined();
      expect(refusedByLicenceWrites([], [refused(suspend)])).toBeUndefined();
      expect(refusedByLicenceWrites([], [])).toBeUndefined();
    });
  });

  describe("in the executor", () => {
    const server = useFakeServer();
    const world = (): ScriptedWorld => ({
      subscriptions: [{ id: SRC, offerId: SOURCE_OFFER, quantity: 1, status: "active" }],
      consumed: { [SOURCE_SKU]: 1 },
      ordered: [],
      listOrderedSubscriptions: false,
    });

    it("a customer whose credential may buy but not assign licences is refused before any write: nothing bought", async () => {
      const w = world();
      const writes = serveWorld(server, w);
      const check = roles({ [CUSTOMER]: ["Directory Readers"] });
      const { result } = await applyTo(server, w, [purchase, reassign, suspend], { access: check });
      expect(result.status).toBe("refused");
      expect(result.refused).toMatch(/may not change licenses/);
      expect(result.skipped.map((a) => a.kind)).toEqual(["purchase", "reassign", "suspend"]);
      expect(result.applied).toEqual([]);
      expect(writes()).toEqual([]);
      expect(check.asked).toEqual([CUSTOMER]);
    });

    it("a credential whose roles cannot be read at all refuses the customer with the reason", async () => {
      const w = world();
      const writes = serveWorld(server, w);
      const broken: AccessCheck = { licenceAccess: () => Promise.reject(new Error("GDAP relationships: 503")) };
      const { result } = await applyTo(server, w, [purchase, reassign, suspend], { access: broken });
      expect(result.status).toBe("refused");
      expect(result.refused).toBe(
        "what the credential may do in this customer's tenant could not be read: GDAP relationships: 503; nothing was written for this customer",
      );
      expect(writes()).toEqual([]);
    });

    /** Roles unreadable (a bare token): the customer's writes wait on the licence proof where money is spent. */
    const unverifiable = (): AccessCheck => ({ licenceAccess: () => Promise.resolve({ state: "unverified", how: "a bare token" }) });
    const holding = (w: ScriptedWorld): ScriptedWorld => ({
      ...w,
      holders: [{ id: (reassign as { userId: string }).userId, upn: "user1@contoso.onmicrosoft.com", skuIds: [SOURCE_SKU] }],
    });
    const path = (r: { method: string; path: string }) => `${r.method} ${r.path.replace(/^\/v1\/customers\/[^/]+/, "").replace(/users\/[^/]+/, "users/…")}`;

    it("the proof comes after the purchase's re-check and right before the order: reads, proof, order", async () => {
      const w = holding(world());
      serveWorld(server, w);
      const { result } = await applyTo(server, w, [purchase, reassign], { access: unverifiable() });
      expect(result.status, JSON.stringify(result.failed)).toBe("applied");
      const seen = server.requests.map(path);
      const proof = seen.indexOf("POST /users/…/licenseupdates");
      expect(seen.indexOf("GET /subscriptions")).toBeLessThan(proof);
      expect(seen.indexOf("POST /orders")).toBe(proof + 1);
    });

    it("a customer bought for since it was read gets no write at all: the purchase's re-check stops it before the proof could give back a licence another run removed", async () => {
      const planned = holding(world());
      const live = holding(world());
      live.subscriptions.push({ id: "22222222-2222-4222-8222-222222222222", offerId: TARGET_OFFER, quantity: 1, status: "active" });
      const writes = serveWorld(server, live);
      const { result } = await applyTo(server, live, [purchase, reassign, suspend], { access: unverifiable(), basisOf: planned });
      expect([result.status, result.failed[0]?.code]).toEqual(["failed", "STALE"]);
      expect(writes()).toEqual([]);
    });

    it("where nothing is bought there is no proof: the first licence write is its own", async () => {
      const w = holding(world());
      const writes = serveWorld(server, w);
      const { result } = await applyTo(server, w, [reassign, suspend], { access: unverifiable() });
      expect(result.status, JSON.stringify(result.failed)).toBe("applied");
      expect(writes().map(path)).toEqual(["POST /users/…/licenseupdates", `PATCH /subscriptions/${SRC}`]);
    });

    it("a refused proof refuses the customer once, the purchase not sent", async () => {
      const w = { ...holding(world()), licenseUpdateStatus: { status: 403, body: { code: 2032, description: "Access denied" } } };
      const writes = serveWorld(server, w);
      const { result } = await applyTo(server, w, [purchase, reassign, suspend], { access: unverifiable() });
      expect(result.status).toBe("refused");
      expect(result.refused).toMatch(
        /could not be shown to change licenses in this customer's tenant \(a bare token\): re-asserting user1@contoso\.onmicrosoft\.com's MCOIMP licence unchanged was refused/,
      );
      expect([result.failed, result.applied]).toEqual([[], []]);
      expect(writes().map(path)).toEqual(["POST /users/…/licenseupdates"]);
    });

    it("with a role that may assign licences, the customer is applied", async () => {
      const w = world();
      const writes = serveWorld(server, w);
      const { result } = await applyTo(server, w, [purchase, reassign, suspend], { access: roles({ [CUSTOMER]: ["License Administrator"] }) });
      expect(result.status).toBe("applied");
      expect(writes().length).toBe(3);
    });
  });
});
