/** Users (paged), a user's licenses, and atomic license updates (assign + remove in one call). */
import { ErrorCode, badRequest } from "../http-error.js";
import { asObject } from "../body.js";
import { route, type RouteDef } from "./context.js";
import { requireCustomer, requireUser } from "./lookup.js";
import { paginate } from "./paging.js";
import type { FixtureSku, FixtureUser, WorldCustomer } from "../types.js";
import { disabledPlansOf, heldSkus } from "../holdings.js";
import { checkLicenseChange, commitLicenseChange, type LicenseProblem } from "../licenses.js";
import type { HttpError } from "../http-error.js";
import { collection, toLicense, toUser } from "./wire.js";

interface LicenseChange {
  assign: { skuId: string; excludedPlans: string[] | null }[];
  remove: string[];
}

function parseLicenseUpdate(body: unknown): LicenseChange {
  const b = asObject(body, "a LicenseUpdate");
  const rawAssign = b.licensesToAssign ?? [];
  const rawRemove = b.licensesToRemove ?? [];
  if (!Array.isArray(rawAssign)) throw badRequest(ErrorCode.invalidProperty, "licensesToAssign must be an array.");
  if (!Array.isArray(rawRemove)) throw badRequest(ErrorCode.invalidProperty, "licensesToRemove must be an array of skuIds.");
  const assign = rawAssign.map((a, i) => {
    const o = asObject(a, `licensesToAssign[${i}]`);
    if (typeof o.skuId !== "string") throw badRequest(ErrorCode.invalidProperty, `licensesToAssign[${i}].skuId is required.`);
    const ex = o.excludedPlans;
    if (ex != null && !(Array.isArray(ex) && ex.every((x) => typeof x === "string"))) {
      throw badRequest(ErrorCode.invalidProperty, `licensesToAssign[${i}].excludedPlans must be an array of service plan ids or null.`);
    }
    return { skuId: o.skuId, excludedPlans: ex ?? null };
  });
  const remove = rawRemove.map((r, i) => {
    if (typeof r !== "string") throw badRequest(ErrorCode.invalidProperty, `licensesToRemove[${i}] must be a skuId string.`);
    return r;
  });
  if (assign.length === 0 && remove.length === 0) {
    throw badRequest(ErrorCode.invalidInput, "A license update needs licensesToAssign or licensesToRemove.");
  }
  return { assign, remove };
}

export const userRoutes: RouteDef[] = [
  route("GET", "/customers/:customerId/users", "directory", "listing users", (ctx) => {
    const c = requireCustomer(ctx);
    // The reference's user links carry no /v1 prefix; clients must cope with both.
    const page = paginate(
      { query: ctx.query, continuationToken: ctx.continuationToken },
      c.users.map((u) => toUser(c, u)),
      {
        scope: `users:${c.id.toLowerCase()}`,
        linkPath: `/customers/${c.id}/users`,
        defaultSize: ctx.paging.defaultSize,
        maxSize: ctx.paging.maxSize,
      },
    );
    return { status: 200, body: page };
  }),
  route("GET", "/customers/:customerId/users/:userId/licenses", "directory", "reading a user's licenses", (ctx) => {
    const c = requireCustomer(ctx);
    const u = requireUser(ctx, c);
    const skus = heldSkus(u)
      .map((id) => ctx.state.sku(id))
      .filter((s): s is FixtureSku => s !== undefined);
    return { status: 200, body: collection(skus.map((s) => toLicense(s, disabledPlansOf(u, s.id)))) };
  }),
  route("POST", "/customers/:customerId/users/:userId/licenseupdates", "licenses", "assigning or removing licenses", (ctx) => {
    const c = requireCustomer(ctx);
    const u = requireUser(ctx, c);
    const change = parseLicenseUpdate(ctx.body);
    const check = checkLicenseChange(
      ctx.state,
      c,
      u,
      change.assign.map((a) => ({ skuId: a.skuId, disabledPlans: a.excludedPlans })),
      change.remove,
    );
    if (!check.ok) throw licenseProblem(check.problem, c, u);
    commitLicenseChange(c, u, check, change.remove, ctx.record);
    return {
      status: 201,
      body: {
        licensesToAssign: change.assign.map((a) => ({ skuId: a.skuId, excludedPlans: a.excludedPlans })),
        licensesToRemove: change.remove,
        licenseWarnings: [],
        attributes: { objectType: "LicenseUpdate" },
      },
    };
  }),
];

/** A refused licence update, in Partner Center's words. */
function licenseProblem(p: LicenseProblem, c: WorldCustomer, u: FixtureUser): HttpError {
  switch (p.kind) {
    case "not-held":
      return badRequest(ErrorCode.licenseNotAssigned, `User ${u.userPrincipalName} does not hold a license for SKU ${p.skuId}; nothing to remove.`);
    case "inherited":
      return badRequest(
        ErrorCode.licenseInherited,
        `User license is inherited from a group membership and it cannot be removed directly from the user: ${u.userPrincipalName} holds SKU ${p.skuId} through group ${p.group}.`,
      );
    case "unknown-sku":
      return badRequest(ErrorCode.invalidProperty, `SKU ${p.skuId} is not a license SKU known to this tenant.`);
    case "in-both":
      return badRequest(ErrorCode.invalidInput, `SKU ${p.skuId} appears in both licensesToAssign and licensesToRemove.`);
    case "no-units":
      return badRequest(ErrorCode.licenseQuotaExceeded, "We&#39;re sorry, it looks like you've run out of licenses. Buy more licenses, and then try again.", [
        `LicenseQuotaExceededException : Subscription with Account ${c.id} and SKU ${p.skuId} does not have any available licenses left.`,
      ]);
  }
}
