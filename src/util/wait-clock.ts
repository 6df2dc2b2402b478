/**
 * The clock pcplan's own waits run on (the provisioning polls of `apply`): how long it has
 * waited, and the wait. Outside tests it is the real clock. Under the test runner only (vitest
 * sets VITEST), `PCPLAN_TEST_TIME_SCALE=f` (0 ≤ f ≤ 1) makes each wait last f of its time while the
 * clock still counts it whole, so backoff and timeouts keep their shape and tests their speed
 * (docs/testing.md). Not a user setting: it is in no --help.
 */
export interface WaitClock {
  /** Milliseconds on this clock; only differences are read. */
  now(): number;
  /** `waitingOn` says what the wait is for (an order provisioning), for a progress line and a timeout's message. */
  sleep(ms: number, waitingOn?: string): Promise<void>;
}

export const TEST_TIME_SCALE_VAR = "PCPLAN_TEST_TIME_SCALE";

type Env = Record<string, string | undefined>;

/**
 * For tests only, like PCPLAN_TEST_TIME_SCALE: the run's time limit (`--timeout`, src/http/deadline.ts)
 * lasts this share of itself. Apart from the waits' scale: a run's limit is mostly spent on real
 * work (requests), which that scale does not shorten.
 */
export const TEST_TIMEOUT_SCALE_VAR = "PCPLAN_TEST_TIMEOUT_SCALE";

/** The factor waits are shortened by: 1 unless under the test runner with a valid `PCPLAN_TEST_TIME_SCALE`. */
export function testTimeScale(env: Env, name = TEST_TIME_SCALE_VAR): number {
  const raw = env[name];
  if (!env.VITEST || raw === undefined || raw.trim() === "") return 1;
  const f = Number(raw);
  return Number.isFinite(f) && f >= 0 && f <= 1 ? f : 1;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let skippedInProcess = 0;

/**
 * The time this process's shortened waits counted but did not sleep (0 outside tests). The
 * in-process demo world of `--sandbox` adds it to its clock, so an order it provisions a minute
 * from now is provisioned after a minute of polls however short they ran (docs/testing.md).
 */
export function skippedWaitMs(): number {
  return skippedInProcess;
}

/** The real clock, or one whose waits are `scale` of their length and counted whole. */
export function waitClock(scale = 1): WaitClock {
  if (scale === 1) return { now: Date.now, sleep: realSleep };
  let skipped = 0;
  return {
    now: () => Date.now() + skipped,
    sleep: async (ms) => {
      await realSleep(ms * scale);
      skipped += ms * (1 - scale);
      skippedInProcess += ms * (1 - scale);
    },
  };
}
