/**
 * The GDAP role pre-check (src/apply/access-check.ts): a customer whose credential lacks a role
 * its actions need gets no write at all, so a credential that may buy but not assign licences
 * never buys seats it cannot hand out. In-process against the scripted Partner Center (the CLI
 * path is test/e2e/role-precheck.cli.test.ts).
 */
import { describe, expect, it } from "vitest";
import { ProofFailedError, accessProblem, type AccessCheck } from "../../src/apply/access-check.js";
import { PcplanError } from "../../src/errors.js";
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
      /^re-asserting user1@contoso\.onmicrosoft\.com's MCOIMP licence unchanged before the first write failed \(the user no longer holds b8b749f8\); nothing was bought or written for this customer/,
    );
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

    it("with a role that may assign licences, the customer is applied", async () => {
      const w = world();
      const writes = serveWorld(server, w);
      const { result } = await applyTo(server, w, [purchase, reassign, suspend], { access: roles({ [CUSTOMER]: ["License Administrator"] }) });
      expect(result.status).toBe("applied");
      expect(writes().length).toBe(3);
    });
  });
});
