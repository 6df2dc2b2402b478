/**
 * Bounded by construction, against a wire-level fake server that misbehaves: a 2 GB body, a
 * collection that never ends, a Retry-After of ten minutes. Each stops with a typed error
 * naming the call, within the documented caps, without holding what it refused to read.
 */
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { BadResponseError, ThrottledError } from "../../src/partner-center/errors.js";
import { MAX_BODY_BYTES } from "../../src/http/attempt.js";
import { MAX_COLLECTION_ITEMS, MAX_EMPTY_PAGES } from "../../src/partner-center/paging.js";
import { LONG_WAIT_MS, MAX_WAIT_MS } from "../../src/partner-center/transport.js";
import { exampleText, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, makeClient, rejectionOf } from "./setup.js";

const GiB = 2 ** 30;
const CHUNK = Buffer.alloc(2 ** 20, " ");

/**
 * Streams up to `total` bytes of a JSON array that never closes, respecting backpressure;
 * stops when the client hangs up. Resolves with the bytes it got onto the socket.
 */
function streamEndless(res: ServerResponse, total: number, headers: Record<string, string> = {}): Promise<number> {
  res.writeHead(200, { "Content-Type": "application/json", ...headers });
  res.write('{"totalCount":1,"items":[');
  return new Promise((resolve) => {
    let sent = 0;
    let closed = false;
    res.on("close", () => {
      closed = true;
      resolve(sent);
    });
    const pump = (): void => {
      while (!closed && sent < total) {
        sent += CHUNK.length;
        if (!res.write(CHUNK)) {
          res.once("drain", pump);
          return;
        }
      }
      if (!closed) res.end("]}");
    };
    pump();
  });
}

describe("bounded by construction", () => {
  const server = useFakeServer();

  it(`stops reading a streamed 2 GB body at ${MAX_BODY_BYTES / 2 ** 20} MiB: a BadResponseError naming the call, memory bounded`, async () => {
    let written: Promise<number> | undefined;
    server.on("GET", "/v1/customers", (_req, res) => {
      written = streamEndless(res, 2 * GiB);
    });
    const { client } = makeClient(server);
    const before = process.memoryUsage().rss;

    const err = await rejectionOf(client.listCustomers());

    expect(err).toBeInstanceOf(BadResponseError);
    expect(err.message).toMatch(/^Partner Center GET \/v1\/customers failed: 200: the response body is larger than 32 MiB/);
    expect(server.requests).toHaveLength(1); // not retried: the same answer would come again
    // The client hung up once past the cap: the server got far less than 2 GB out (the cap plus socket buffers).
    const sent = await written!;
    expect(sent).toBeLessThan(MAX_BODY_BYTES + 64 * 2 ** 20);
    expect(sent).toBeGreaterThan(MAX_BODY_BYTES);
    // What was read is not kept: resident memory grew by less than a few times the cap.
    expect(process.memoryUsage().rss - before).toBeLessThan(4 * MAX_BODY_BYTES);
  });

  it("refuses a body whose Content-Length announces more than the cap without reading it", async () => {
    let written: Promise<number> | undefined;
    server.on("GET", "/v1/customers", (_req, res) => {
      written = streamEndless(res, 2 * GiB, { "Content-Length": String(2 * GiB) });
    });
    const { client } = makeClient(server);
    const err = await rejectionOf(client.listCustomers());
    expect(err).toBeInstanceOf(BadResponseError);
    expect(err.message).toContain("larger than 32 MiB");
    expect(await written!).toBeLessThan(MAX_BODY_BYTES);
  });

  it(`stops a collection that hands out fresh continuation tokens forever: at ${MAX_COLLECTION_ITEMS} items' worth of pages at its first page's size`, async () => {
    let page = 0;
    const PER_PAGE = 2_500;
    const items = Array.from({ length: PER_PAGE }, (_, i) => ({ id: `u${i}`, userPrincipalName: `u${i}@x` }));
    server.on("GET", `/v1/customers/${CUSTOMER}/users`, (_req, res) => {
      page++;
      sendJson(res, 200, {
        // As Partner Center does: totalCount is the items on this page.
        totalCount: PER_PAGE,
        items,
        links: { next: { uri: `/customers/${CUSTOMER}/users?size=100&seekOperation=Next`, headers: [{ key: "MS-ContinuationToken", value: `t${page}` }] } },
      });
    });
    const { client } = makeClient(server);

    const err = await rejectionOf(client.listUsers(CUSTOMER));

    expect(err).toBeInstanceOf(BadResponseError);
    expect(err.message).toContain(`GET /v1/customers/${CUSTOMER}/users failed`);
    const allowed = MAX_COLLECTION_ITEMS / PER_PAGE + 1;
    expect(err.message).toContain(`paging did not end: ${allowed} pages read`);
    expect(server.requests).toHaveLength(allowed);
  });

  it(`stops after ${MAX_EMPTY_PAGES} empty pages in a row that each point to another`, async () => {
    let page = 0;
    server.on("GET", "/v1/offers", (_req, res) => {
      page++;
      sendJson(res, 200, { totalCount: 0, items: [], links: { next: { uri: `/offers?country=US&page=${page}` } } });
    });
    const { client } = makeClient(server);
    const err = await rejectionOf(client.listOffers("US"));
    expect(err).toBeInstanceOf(BadResponseError);
    expect(err.message).toContain(`paging did not end: ${MAX_EMPTY_PAGES} empty pages in a row`);
    expect(server.requests).toHaveLength(MAX_EMPTY_PAGES);
  });

  it(`does not wait out a Retry-After beyond ${MAX_WAIT_MS / 1000} s: a ThrottledError at once, saying what was asked`, async () => {
    server.on("GET", "/v1/customers", (_req, res) => sendJson(res, 429, exampleText("12-throttling-429.response.json"), { "Retry-After": "599" }));
    const { client, sleeps } = makeClient(server);
    const err = await rejectionOf(client.listCustomers());
    expect(err).toBeInstanceOf(ThrottledError);
    expect(err.message).toContain("Partner Center asked to retry after 599 s, longer than the 120 s pcplan waits at most");
    expect(server.requests).toHaveLength(1);
    expect(sleeps.filter((ms) => ms > 1000)).toEqual([]);
  });

  it(`announces a wait of ${LONG_WAIT_MS / 1000} s or more before it starts (a \`waiting\` event), then waits it out`, async () => {
    server.once("GET", "/v1/customers", (_req, res) => sendJson(res, 429, exampleText("12-throttling-429.response.json"), { "Retry-After": "90" }));
    server.once("GET", "/v1/customers", (_req, res) => sendJson(res, 200, exampleText("01-customers.response.json")));
    const { client, events, sleeps } = makeClient(server);

    await client.listCustomers();

    const waiting = events.find((e) => e.type === "waiting");
    expect(waiting).toMatchObject({
      type: "waiting",
      method: "GET",
      path: "/v1/customers",
      reason: "Partner Center asked to retry GET /v1/customers after 90 s",
    });
    expect(waiting && "delayMs" in waiting && waiting.delayMs).toBeGreaterThanOrEqual(90_000);
    // Announced before the wait: the event comes before the retried request's.
    const order = events.map((e) => e.type);
    expect(order.indexOf("waiting")).toBeLessThan(order.lastIndexOf("request"));
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(90_000);
  });

  it("says nothing for an ordinary short Retry-After", async () => {
    server.once("GET", "/v1/customers", (_req, res) => sendJson(res, 429, exampleText("12-throttling-429.response.json"), { "Retry-After": "2" }));
    server.once("GET", "/v1/customers", (_req, res) => sendJson(res, 200, exampleText("01-customers.response.json")));
    const { client, events } = makeClient(server);
    await client.listCustomers();
    expect(events.some((e) => e.type === "waiting")).toBe(false);
  });
});
