/**
 * The clock `apply`'s provisioning polls run on (src/util/wait-clock.ts): real outside tests;
 * under the test runner, PCPLAN_TEST_TIME_SCALE shortens each wait and the clock still counts it whole.
 */
import { describe, expect, it } from "vitest";
import { testTimeScale, waitClock } from "../../src/util/wait-clock.js";

describe("the wait clock", () => {
  it("is shortened only under the test runner, by a factor from 0 to 1", () => {
    expect(testTimeScale({ VITEST: "true", PCPLAN_TEST_TIME_SCALE: "0.01" })).toBe(0.01);
    expect(testTimeScale({ VITEST: "true", PCPLAN_TEST_TIME_SCALE: "0" })).toBe(0);
    expect(testTimeScale({ PCPLAN_TEST_TIME_SCALE: "0.01" })).toBe(1);
    expect(testTimeScale({ VITEST: "true" })).toBe(1);
    for (const bad of ["", " ", "2", "-1", "fast", "NaN"]) expect(testTimeScale({ VITEST: "true", PCPLAN_TEST_TIME_SCALE: bad })).toBe(1);
  });

  it("counts a shortened wait whole, so a timeout ends after as many polls as in real time", async () => {
    const clock = waitClock(0);
    const before = clock.now();
    const real = Date.now();
    await clock.sleep(60_000);
    await clock.sleep(30_000);
    expect(Date.now() - real).toBeLessThan(5_000);
    expect(clock.now() - before).toBeGreaterThanOrEqual(90_000);
  });

  it("is the real clock at scale 1", async () => {
    const clock = waitClock();
    const real = Date.now();
    const before = clock.now();
    await clock.sleep(20);
    expect(Date.now() - real).toBeGreaterThanOrEqual(15);
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(5);
    expect(clock.now() - before).toBeLessThan(5_000);
  });
});
