import type { SandboxFixture } from "../../src/sandbox/index.js";

/** The demo world's customers (fixtures/demo-world.json, docs/demo-world.md) by short name. */
export const DEMO = {
  contoso: "6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a",
  fabrikam: "367930e6-12d8-4ecc-a320-aabd3f9ebaa0",
  northwind: "deec16c8-656b-45c8-a1cc-e39f09f1f0fd",
  tailspin: "b555b80f-3038-4c1d-8fef-38acb8d6af89",
  woodgrove: "c7440f08-58ba-412d-8731-e453f8e7ad85",
  adventure: "aff899aa-7088-41af-891d-4a24409596d6",
  litware: "ca4e851b-a456-4bd1-989e-5420437172a6",
  proseware: "2b3de9bc-b14a-4216-86c0-c3db61c9641d",
  wideworld: "1dea9eff-41ca-42cd-8f34-ec8377b4ecad",
  // New commerce: Business Basic → Business Standard (plans/business-basic-to-standard.yaml).
  alpine: "339e3d7f-8e5f-59cd-8ba8-b4ea3439cd58",
  coho: "19d86303-f2cd-5cdc-9447-882a9180c201",
  fourth: "ae9ee984-1c1c-54bf-8918-c05dc844a60f",
  lamna: "1b5e3fee-d662-5369-a921-3cb589900b0b",
  margies: "8db00d41-1c8b-5e16-80fd-b6a4fcebb7c2",
  relecloud: "d7df7cfa-6aec-50a5-aeca-3e28de1ff8d0",
  tailwind: "b8b8f5f6-9eb2-57fb-b5a5-39f5dfd008e6",
  // Licences through a group, disabled plans, no usage location (plans/office365-f1-groups.yaml).
  lucerne: "4a37fa2d-f2d7-440f-8785-9faeecc3f80c",
};

/** The demo customers whose plans buy the target: one order each when applied. */
export const DEMO_BUYERS: readonly string[] = [
  DEMO.contoso,
  DEMO.tailspin,
  DEMO.woodgrove,
  DEMO.litware,
  DEMO.alpine,
  DEMO.coho,
  DEMO.lamna,
  DEMO.margies,
  DEMO.relecloud,
];

/** The reference time the demo world's deadlines are read at in tests. */
export const DEMO_NOW = "2026-11-24T00:00:00Z";

/**
 * Two minutes past DEMO_NOW. Tailwind's order, placed before any run (fixtures/demo-world.json:
 * fulfilled at now+PT1M), provisions a minute after a sandbox starts, since the sandbox's clock
 * runs in real time from DEMO_NOW: an apply reaching it waits that minute out. A test that needs
 * it settled sets the sandbox's clock here; one that wants it still provisioning shortens the
 * polls instead (PCPLAN_TEST_TIME_SCALE, docs/testing.md).
 */
export const TAILWIND_PROVISIONED = "2026-11-24T00:02:00Z";

/**
 * The demo world cut down to some of its customers: the credentials' per-customer GDAP roles and
 * app consents for the others go too (the sandbox refuses a fixture naming an unknown customer).
 */
export function onlyCustomers(f: SandboxFixture, ids: readonly string[]): void {
  const kept = (k: string) => k === "*" || ids.some((id) => id.toLowerCase() === k.toLowerCase());
  f.customers = f.customers.filter((c) => kept(c.id));
  for (const cred of f.credentials) {
    for (const byCustomer of [cred.gdap, cred.consents]) for (const k of Object.keys(byCustomer ?? {})) if (!kept(k)) delete byCustomer?.[k];
  }
}
