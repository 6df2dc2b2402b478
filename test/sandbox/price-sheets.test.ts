/**
 * The sandbox's price sheet call as the reference describes it (get-a-price-sheet): the file for
 * one market and view, App+User agents only, history needing a month.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_TOKENS, type SandboxHandle } from "../../src/sandbox/index.js";
import { priceSheetUrl } from "../../src/partner-center/price-sheet-client.js";
import { startDemo } from "./helpers/sandbox.js";

let sb: SandboxHandle;
beforeEach(async () => {
  sb = await startDemo();
});
afterEach(async () => {
  await sb.close();
});

const base = () => sb.url.replace(/\/v1$/, "/v1.0");
const get = async (url: URL | string, token = SANDBOX_TOKENS.admin) => {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
};

describe("GET /v1.0/sales/pricesheets(Market=…,PricesheetView=…)/$value", () => {
  it("answers the market's rows of the licence-based sheet as a file", async () => {
    const us = await get(priceSheetUrl(base(), "us", "2026-12", true));
    expect(us.status).toBe(200);
    expect(us.type).toBe("application/octet-stream");
    const lines = us.text.trim().split("\n");
    expect(lines[0]).toMatch(/^ProductTitle,ProductId,SkuId,/);
    expect(lines.slice(1)).toHaveLength(10);
    expect(lines.slice(1).every((l) => l.includes(",US,USD,"))).toBe(true);
    expect((await get(priceSheetUrl(base(), "GB", "2026-12", true))).text.trim().split("\n")).toHaveLength(1);
  });

  it("asks a past month as history with its month; history without a month, an unknown view or market are refused", async () => {
    const past = priceSheetUrl(base(), "US", "2026-10", false);
    expect(past.search).toBe("?timeline=history&month=202610");
    expect((await get(past)).status).toBe(200);
    expect((await get(`${base()}/sales/pricesheets(Market='US',PricesheetView='updatedlicensebased')/$value?timeline=history`)).status).toBe(400);
    expect((await get(`${base()}/sales/pricesheets(Market='US',PricesheetView='cheap')/$value`)).status).toBe(400);
    expect((await get(`${base()}/sales/pricesheets(Market='USA',PricesheetView='updatedlicensebased')/$value`)).status).toBe(400);
  });

  it("is for the Admin and Sales agents only", async () => {
    expect((await get(priceSheetUrl(base(), "US", "2026-12", true), SANDBOX_TOKENS.sales)).status).toBe(200);
    const helpdesk = await get(priceSheetUrl(base(), "US", "2026-12", true), SANDBOX_TOKENS.helpdesk);
    expect(helpdesk.status).toBe(403);
    expect(helpdesk.text).toContain("Get a price sheet requires App+User credentials with the Admin agent or Sales agent role");
  });
});
