/** Shared test setup for the Partner Center client tests. */
import { createPartnerCenterClient, type ClientOptions, type PartnerCenterClient } from "../../src/partner-center/client.js";
import type { ClientEvent } from "../../src/partner-center/events.js";
import { fakeTime, type FakeServer } from "../helpers/fake-server.js";

/** A recognisable token: tests assert it never leaks into errors or events. */
export const TOKEN = "tok-SECRET-1234567890";

export const CUSTOMER = "0c39d6d5-c70d-4c55-bc02-f620844f3fd1";

export interface TestClient {
  client: PartnerCenterClient;
  events: ClientEvent[];
  sleeps: number[];
  now: () => number;
}

export function makeClient(server: FakeServer, extra: Partial<ClientOptions> = {}): TestClient {
  const time = fakeTime();
  const events: ClientEvent[] = [];
  const client = createPartnerCenterClient({
    endpoint: server.url,
    token: () => Promise.resolve(TOKEN),
    sleep: time.sleep,
    now: time.now,
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { client, events, sleeps: time.sleeps, now: time.now };
}

/** Await a rejection and return the error (fails the test if the promise resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`, { cause: err });
  }
  throw new Error("expected the call to fail, but it succeeded");
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
