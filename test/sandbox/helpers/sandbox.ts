/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxHandle, type SandboxOptions } from "../../../src/sandbox/index.js";

export const NOW = "2026-11-24T00:00:00Z";

/** Demo-world ids (docs/demo-world.md). */
export const C = {
  contoso: "6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a",
  fabrikam: "367930e6-12d8-4ecc-a320-aabd3f9ebaa0",
  northwind: "deec16c8-656b-45c8-a1cc-e39f09f1f0fd",
  adventure: "aff899aa-7088-41af-891d-4a24409596d6",
  litware: "ca4e851b-a456-4bd1-989e-5420437172a6",
  wideworld: "1dea9eff-41ca-42cd-8f34-ec8377b4ecad",
};
/** The demo world's new-commerce customers (docs/demo-world.md, rows a–h). */
export const N = {
  alpine: "339e3d7f-8e5f-59cd-8ba8-b4ea3439cd58",
  coho: "19d86303-f2cd-5cdc-9447-882a9180c201",
  fourth: "ae9ee984-1c1c-54bf-8918-c05dc844a60f",
  lamna: "1b5e3fee-d662-5369-a921-3cb589900b0b",
  margie: "8db00d41-1c8b-5e16-80fd-b6a4fcebb7c2",
  relecloud: "d7df7cfa-6aec-50a5-aeca-3e28de1ff8d0",
  wingtip: "b6004f4b-1b85-5c1e-9d24-68c02076c606",
  tailwind: "b8b8f5f6-9eb2-57fb-b5a5-39f5dfd008e6",
};
/** Catalog items of the demo's new-commerce catalog. */
export const ITEM = {
  basic: "CFQ7TTC0LH18:0001:CFQ7TTC0K971",
  standardUS: "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT",
  standardGB: "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNU",
  f3: "CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR",
};
export const SKU = {
  BASIC: "3b555118-da6a-4418-894f-7df1e2096870",
  STANDARD: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
  MCOIMP: "b8b749f8-a4ef-4887-9539-c95b1eaa5db7",
  DESKLESSPACK: "4b585984-651b-448a-9e53-3b10f069cf7f",
  M365_F1: "44575883-256e-4a79-9da4-ebe9acabe2b2",
  POWER_BI_PRO: "f8a1db68-be16-40ed-86d5-cb42ce701560",
  EMS: "efccb6f7-5641-4e0e-bd10-b4976e1bf68e",
};

export async function startDemo(opts: Partial<SandboxOptions> = {}): Promise<SandboxHandle> {
  return startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), clock: NOW, ...opts });
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request to the sandbox; `path` is relative to the /v1 base unless it starts with /v1. */
export async function call(sb: SandboxHandle, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const token = opts.token === undefined ? SANDBOX_TOKENS.admin : opts.token;
  const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  const url = path.startsWith("/v1") ? sb.url.replace(/\/v1$/, "") + path : sb.url + path;
  const res = await fetch(url, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** The offer id that provisions a sku in the demo catalog. */
export function offerFor(sb: SandboxHandle, skuId: string): string {
  const o = sb.world().offers.find((x) => x.skuId === skuId);
  if (!o) throw new Error(`no offer for ${skuId}`);
  return o.id;
}

export async function getSubscription(sb: SandboxHandle, customerId: string, skuId: string, status = "active") {
  const offerId = offerFor(sb, skuId);
  const list = await call(sb, "GET", `/customers/${customerId}/subscriptions`);
  const sub = list.body.items.find((s: any) => s.offerId === offerId && s.status === status);
  if (!sub) throw new Error(`no ${status} subscription for ${skuId}`);
  return sub;
}

/** A cart of one line, as the reference's new-commerce example shapes it. */
export function cartBody(catalogItemId: string, quantity: number, termDuration = "P1Y", billingCycle = "monthly") {
  return { PartnerOnRecordAttestationAccepted: true, lineItems: [{ id: 0, catalogItemId, quantity, termDuration, billingCycle }] };
}

/** Creates a cart and checks it out; returns both answers. */
export async function buy(sb: SandboxHandle, customerId: string, catalogItemId: string, quantity: number, opts: CallOptions = {}) {
  const cart = await call(sb, "POST", `/customers/${customerId}/carts`, { ...opts, body: cartBody(catalogItemId, quantity) });
  const checkout = await call(sb, "POST", `/customers/${customerId}/carts/${cart.body.id}/checkout`, { token: opts.token });
  return { cart, checkout };
}

/** The customer's subscriptions as the service lists them. */
export async function subscriptions(sb: SandboxHandle, customerId: string): Promise<any[]> {
  return (await call(sb, "GET", `/customers/${customerId}/subscriptions`)).body.items;
}

/** Moves the sandbox clock by `ms` from the instant given (no waiting: tests are not timed). */
export function later(sb: SandboxHandle, fromIso: string, ms: number): string {
  const iso = new Date(Date.parse(fromIso) + ms).toISOString();
  sb.setClock(iso);
  return iso;
}
