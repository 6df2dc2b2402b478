import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePcDate } from "../../src/partner-center/dates.js";
import { isGuid, normId, sameId } from "../../src/partner-center/ids.js";
import { linkHeaders, resolveLink } from "../../src/partner-center/paging.js";

describe("parsePcDate", () => {
  it.each([
    ["2015-11-25T06: 41: 12Z", "2015-11-25T06:41:12.000Z"],
    ["2016-05-10T07:30:05.427Z", "2016-05-10T07:30:05.427Z"],
    ["2018-02-08T01:22:47.603895Z", "2018-02-08T01:22:47.603Z"],
    ["2018-02-08T22:31:42.9397946Z", "2018-02-08T22:31:42.939Z"],
    ["2021-10-15T21:28:19.3058617Z", "2021-10-15T21:28:19.305Z"],
    ["2017-04-10T16:02:25.983-07:00", "2017-04-10T23:02:25.983Z"],
    ["2019-01-03T19:53:55.1292512+00:00", "2019-01-03T19:53:55.129Z"],
    ["9999-12-10T00:00:00Z", "9999-12-10T00:00:00.000Z"],
    ["2027-03-31", "2027-03-31T00:00:00.000Z"],
    ["2027-03-31T00:00:00", "2027-03-31T00:00:00.000Z"],
    ["2026-11-24T10:00:00.5+0530", "2026-11-24T04:30:00.500Z"],
  ])("%s → %s", (input, iso) => {
    expect(parsePcDate(input)?.toISOString()).toBe(iso);
  });

  it.each(["", "not a date", "2021-02-30T00:00:00Z", "2021-13-01", "2021-01-01T25:00:00Z", "2021-01-01T00:00:00.12345678Z"])("rejects %j", (input) => {
    expect(parsePcDate(input)).toBeUndefined();
  });

  it("round-trips any ISO date", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1900-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }), (d) => {
        expect(parsePcDate(d.toISOString())?.getTime()).toBe(d.getTime());
      }),
    );
  });
});

describe("ids", () => {
  it("compares case-insensitively", () => {
    expect(sameId("A356AC8C-E310-44F4-BF85-C7F29044AF99", "a356ac8c-e310-44f4-bf85-c7f29044af99")).toBe(true);
    expect(sameId("a", "b")).toBe(false);
    expect(sameId(undefined, undefined)).toBe(false);
    expect(normId(" AbC ")).toBe("abc");
    expect(isGuid("a356ac8c-e310-44f4-bf85-C7f29044af99")).toBe(true);
    expect(isGuid("Cs_jyTxubLpvdJXdo8xcQZN6I2RsLrgZ1")).toBe(false);
  });
});

describe("links", () => {
  const ep = "https://api.partnercenter.microsoft.com/v1";
  it.each([
    ["/v1/customers?size=40", "https://api.partnercenter.microsoft.com/v1/customers?size=40"],
    ["/customers?seekOperation=Next", "https://api.partnercenter.microsoft.com/v1/customers?seekOperation=Next"],
    ["customers", "https://api.partnercenter.microsoft.com/v1/customers"],
    ["/V1/offers/X", "https://api.partnercenter.microsoft.com/V1/offers/X"],
    [
      "/invoices/G1/lineitems?provider=OneTime&size=2?seekOperation=Next",
      "https://api.partnercenter.microsoft.com/v1/invoices/G1/lineitems?provider=OneTime&size=2?seekOperation=Next",
    ],
    ["https://api.partnercenter.microsoft.com/v1/customers", "https://api.partnercenter.microsoft.com/v1/customers"],
  ])("%s", (uri, expected) => {
    expect(resolveLink(ep, uri)?.href).toBe(expected);
    expect(resolveLink(`${ep}/`, uri)?.href).toBe(expected);
  });

  it("refuses other origins and reads link headers in either casing", () => {
    expect(resolveLink(ep, "https://example.com/v1/customers")).toBeUndefined();
    expect(resolveLink(ep, "http: //g.microsoftonline.com/x")).toBeUndefined();
    expect(resolveLink("http://127.0.0.1:1234", "/v1/customers")?.href).toBe("http://127.0.0.1:1234/v1/customers");
    expect(linkHeaders([{ key: "MS-ContinuationToken", value: "a" }, { Key: "X", Value: "b" }, null])).toEqual({
      "MS-ContinuationToken": "a",
      X: "b",
    });
  });
});
