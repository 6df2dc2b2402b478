/**
 * A legacy order Microsoft refuses because the offer is no longer sold that way (403 2091, the
 * error-codes page's "offer is no longer available for purchase") fails with a message that says
 * so and what to do, not only Partner Center's words. Against the scripted Partner Center.
 */
import { describe, expect, it } from "vitest";
import type { Action } from "../../src/reconcile/types.js";
import { sendJson, useFakeServer } from "../helpers/fake-server.js";
import { F3, applyTo } from "./harness.js";
import { CUSTOMER, SOURCE_OFFER, SOURCE_SKU, TARGET_OFFER, serveWorld, type ScriptedWorld } from "./scripted-partner-center.js";

const purchase: Action = { kind: "purchase", commerce: "legacy", offerId: TARGET_OFFER, offerName: "Office 365 F3", sku: F3, quantity: 1 };

describe("a refused legacy purchase", () => {
  const server = useFakeServer();
  it("says Microsoft no longer sells the offer that way and what to do; nothing is bought", async () => {
    const w: ScriptedWorld = {
      subscriptions: [{ id: "11111111-1111-4111-8111-111111111111", offerId: SOURCE_OFFER, quantity: 1, status: "active" }],
      consumed: { [SOURCE_SKU]: 1 },
      ordered: [],
      listOrderedSubscriptions: false,
    };
    serveWorld(server, w);
    server.once("POST", `/v1/customers/${CUSTOMER}/orders`, (_req, res) =>
      sendJson(res, 403, { code: 2091, description: "The offer is no longer available for purchase.", data: [], source: "PartnerFD" }),
    );
    const { result } = await applyTo(server, w, [purchase]);
    expect(result.status).toBe("failed");
    expect(result.failed[0]?.code).toBe("LEGACY_REFUSED");
    expect(result.failed[0]?.error).toMatch(
      /^Microsoft refused the legacy order of Office 365 F3 .*buy the target through new commerce .*nothing was bought\. .*no longer available for purchase/,
    );
  });
});
