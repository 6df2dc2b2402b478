/**
 * The demo world's dates are relative to the sandbox clock (docs/sandbox.md, "Dates"), so its
 * deadlines stay the same distance away on any day; a state file keeps the instants they
 * resolved to.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveDate } from "../../src/sandbox/durations.js";
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, validateFixture, type SandboxHandle } from "../../src/sandbox/index.js";
import { C, N, NOW } from "./helpers/sandbox.js";

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

let sb: SandboxHandle | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe("relative dates", () => {
  it("today is midnight UTC of the clock's day, now the clock's instant, each shifted by an ISO 8601 duration", () => {
    const clock = at("2026-11-24T10:30:00Z");
    expect(resolveDate("today", clock)).toBe("2026-11-24T00:00:00Z");
    expect(resolveDate("today+P127D", clock)).toBe("2027-03-31T00:00:00Z");
    expect(resolveDate("today-P3DT15H", clock)).toBe("2026-11-20T09:00:00Z");
    expect(resolveDate("now", clock)).toBe("2026-11-24T10:30:00Z");
    expect(resolveDate("now-PT10M", clock)).toBe("2026-11-24T10:20:00Z");
    expect(resolveDate("now+P1W", clock)).toBe("2026-12-01T10:30:00Z");
    // Months clamp to the month's end, as the service's terms do.
    expect(resolveDate("today+P1M", at("2027-01-31T08:00:00Z"))).toBe("2027-02-28T00:00:00Z");
    // An absolute date is kept as written.
    expect(resolveDate("2027-03-31T00:00:00.0000000Z", clock)).toBe("2027-03-31T00:00:00.0000000Z");
  });

  it("the schema accepts both kinds and names a date that is neither", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    fixture.customers[0].subscriptions[0].commitmentEndDate = "now+P1Y2M3W4DT5H6M7S";
    expect(() => validateFixture(structuredClone(fixture))).not.toThrow();
    fixture.customers[0].subscriptions[0].commitmentEndDate = "tomorrow";
    expect(() => validateFixture(fixture, "f.json")).toThrow(
      "/customers/0/subscriptions/0/commitmentEndDate: must be an ISO 8601 date-time (2027-03-31T00:00:00Z) or a date relative to the sandbox clock",
    );
  });

  it("the demo world keeps its deadlines the same distance from the clock, whatever day it starts on", async () => {
    for (const clock of [NOW, "2027-06-30T16:45:00Z", "2031-02-01T00:00:00Z"]) {
      sb = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), clock });
      const today = at(`${clock.slice(0, 10)}T00:00:00Z`);
      const world = sb.world();
      const customer = (id: string) => world.customers.find((c) => c.id === id)!;
      expect(at(customer(C.contoso).subscriptions[0].commitmentEndDate)).toBe(today + 127 * DAY);
      // Alpine's new-commerce source is inside its cancellation window, Northwind's suspension not yet deprovisioned.
      expect(at(customer(N.alpine).subscriptions[0].cancellationAllowedUntilDate!)).toBeGreaterThan(at(clock));
      expect(customer(C.northwind).subscriptions.find((s) => s.status === "suspended")?.suspendedAt).toBe(
        new Date(today - 54 * DAY).toISOString().replace(".000Z", "Z"),
      );
      // Tailwind's order was placed 10 minutes before the clock's start and provisions a minute after it (the demo's apply waits for it and finishes).
      expect(at(customer(N.tailwind).orders[0].creationDate)).toBe(at(clock) - 10 * 60_000);
      expect(at(customer(N.tailwind).orders[0].fulfillAt!)).toBe(at(clock) + 60_000);
      await sb.close();
      sb = undefined;
    }
  });

  it("a state file keeps the instants the dates resolved to: a restart on another clock does not move them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pcplan-dates-"));
    try {
      const statePath = join(dir, "state.json");
      sb = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), clock: NOW, statePath });
      const before = sb.world().customers.find((c) => c.id === C.contoso)!.subscriptions[0].commitmentEndDate;
      await sb.close();
      sb = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), clock: "2027-01-15T00:00:00Z", statePath });
      expect(sb.world().customers.find((c) => c.id === C.contoso)!.subscriptions[0].commitmentEndDate).toBe(before);
      expect(before).toBe("2027-03-31T00:00:00Z");
    } finally {
      await sb?.close();
      sb = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
