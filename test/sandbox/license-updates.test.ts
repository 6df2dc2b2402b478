/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
/**
 * Licence updates as the reference implies (issue 21, §4; SPEC §11): re-asserting a licence the
 * user already holds directly, with the same disabled plans, changes nothing and succeeds
 * (assign-licenses-to-a-user, user-assignlicense: adding a held licence sets its disabled plans);
 * a licence held only through a group cannot be removed from the user directly.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { graphCall, tokenFor } from "../graph/helpers/graph.js";
import { C, NOW, SKU, call, startDemo } from "./helpers/sandbox.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

/** Two service plans of DESKLESSPACK in the demo catalog. */
const planIds = () =>
  sb
    .world()
    .skus.find((s) => s.id === SKU.DESKLESSPACK)!
    .servicePlans.map((p) => p.id);
const pcUpdate = (customerId: string, userId: string, body: object) => call(sb, "POST", `/customers/${customerId}/users/${userId}/licenseupdates`, { body });
const userOf = (customerId: string, userId: string) =>
  sb
    .world()
    .customers.find((c) => c.id === customerId)!
    .users.find((u) => u.id === userId)!;
/** A Northwind user: holds DESKLESSPACK directly. */
const northwindUser = () => sb.world().customers.find((c) => c.id === C.northwind)!.users[0];

describe("re-asserting a licence the user holds", () => {
  it("through Partner Center with the same excluded plans: 201, nothing changes, nothing is recorded", async () => {
    sb = await startDemo();
    const u = northwindUser();
    const before = sb.world();
    const res = await pcUpdate(C.northwind, u.id, { licensesToAssign: [{ skuId: SKU.DESKLESSPACK, excludedPlans: null }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ licensesToAssign: [{ skuId: SKU.DESKLESSPACK, excludedPlans: null }], licenseWarnings: [] });
    expect(sb.changes).toEqual([]);
    expect(sb.world()).toEqual(before);
  });

  it("through Graph with the same disabled plans: 200 with the user, nothing recorded; other disabled plans are a change, stored and shown", async () => {
    sb = await startDemo();
    const u = northwindUser();
    const token = await tokenFor(sb, C.northwind);
    const same = await graphCall(sb, token, "POST", `/users/${u.id}/assignLicense`, {
      addLicenses: [{ skuId: SKU.DESKLESSPACK, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect(same.status).toBe(200);
    expect(sb.changes).toEqual([]);

    const [plan] = planIds();
    const other = await graphCall(sb, token, "POST", `/users/${u.id}/assignLicense`, {
      addLicenses: [{ skuId: SKU.DESKLESSPACK, disabledPlans: [plan] }],
      removeLicenses: [],
    });
    expect(other.status).toBe(200);
    expect(other.body.assignedLicenses).toEqual([{ skuId: SKU.DESKLESSPACK, disabledPlans: [plan] }]);
    expect(sb.changes).toEqual([expect.objectContaining({ kind: "licenses", userId: u.id, assigned: [], removed: [] })]);
    // Now the same again, through Partner Center's excludedPlans: nothing more.
    expect((await pcUpdate(C.northwind, u.id, { licensesToAssign: [{ skuId: SKU.DESKLESSPACK, excludedPlans: [plan] }] })).status).toBe(201);
    expect(sb.changes).toHaveLength(1);
    expect(userOf(C.northwind, u.id).licenses).toEqual([SKU.DESKLESSPACK]);
  });
});

describe("a licence held through a group", () => {
  async function groupWorld(): Promise<{ onlyGroup: string; both: string }> {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    const contoso = fixture.customers.find((c) => c.id === C.contoso)!;
    const [first, second] = contoso.users;
    first.licenses = [];
    first.groupLicenses = [{ skuId: SKU.MCOIMP, group: "Skype users" }];
    second.groupLicenses = [{ skuId: SKU.MCOIMP, group: "Skype users" }];
    sb = await startSandbox({ fixture, clock: NOW });
    return { onlyGroup: first.id, both: second.id };
  }

  it("is held and counted once, but cannot be removed from the user directly, through either API", async () => {
    const { onlyGroup } = await groupWorld();
    const skus = await call(sb, "GET", `/customers/${C.contoso}/subscribedskus`);
    expect(skus.body.items.find((k: any) => k.productSku.id === SKU.MCOIMP).consumedUnits).toBe(12);
    const licences = await call(sb, "GET", `/customers/${C.contoso}/users/${onlyGroup}/licenses`);
    expect(licences.body.items.map((l: any) => l.productSku.id)).toEqual([SKU.MCOIMP]);

    const pc = await pcUpdate(C.contoso, onlyGroup, { licensesToAssign: [], licensesToRemove: [SKU.MCOIMP] });
    expect(pc.status).toBe(400);
    expect(pc.body).toMatchObject({
      code: 60014,
      description: expect.stringContaining("User license is inherited from a group membership and it cannot be removed directly from the user"),
    });
    const graph = await graphCall(sb, await tokenFor(sb, C.contoso), "POST", `/users/${onlyGroup}/assignLicense`, {
      addLicenses: [],
      removeLicenses: [SKU.MCOIMP],
    });
    expect(graph.status).toBe(400);
    expect(graph.body.error.message).toBe("User license is inherited from a group membership and it cannot be removed directly from the user.");
    expect(sb.changes).toEqual([]);
  });

  it("a direct copy beside it is removed; the user keeps the group's, and the units consumed do not change", async () => {
    const { both } = await groupWorld();
    const token = await tokenFor(sb, C.contoso);
    const res = await graphCall(sb, token, "POST", `/users/${both}/assignLicense`, { addLicenses: [], removeLicenses: [SKU.MCOIMP] });
    expect(res.status).toBe(200);
    expect(res.body.assignedLicenses).toEqual([{ skuId: SKU.MCOIMP, disabledPlans: [] }]);
    expect(userOf(C.contoso, both).licenses).toEqual([]);
    const skus = (await graphCall(sb, token, "GET", "/subscribedSkus")).body.value;
    expect(skus.find((k: any) => k.skuId === SKU.MCOIMP).consumedUnits).toBe(12);
  });
});
